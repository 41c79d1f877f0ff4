//! The storage error type.

/// Everything that can go wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The database refused or failed a statement (includes row-level-security violations).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying the schema migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The analytics core rejected the data (e.g. while rebuilding a `Sales` table).
    #[error(transparent)]
    Core(#[from] storelytics::Error),
    /// The record does not exist in the current store (or belongs to another store).
    #[error("{what} not found in this store")]
    NotFound {
        /// What was looked up.
        what: String,
    },
    /// An argument is invalid.
    #[error("invalid {field}: {problem}")]
    Invalid {
        /// The argument or field.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Password hashing failed.
    #[error("password hashing failed: {0}")]
    Password(String),
    /// Stored data cannot be decoded.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StorageError {
    pub(crate) fn invalid(field: &str, problem: impl Into<String>) -> Self {
        StorageError::Invalid { field: field.to_string(), problem: problem.into() }
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        StorageError::NotFound { what: what.into() }
    }
}

/// Result alias of the storage crate.
pub type Result<T> = std::result::Result<T, StorageError>;
