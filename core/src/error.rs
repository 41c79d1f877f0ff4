//! The one error type of storelytics.

use std::fmt;

/// Row numbers quoted in an error: the first few offending rows (0-based, in input order)
/// and how many rows were affected in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    /// Up to [`Rows::MAX_LISTED`] offending row numbers, ascending.
    pub first: Vec<usize>,
    /// Total number of offending rows.
    pub count: usize,
}

impl Rows {
    /// How many row numbers an error lists before it says "and N more".
    pub const MAX_LISTED: usize = 5;

    /// Collects the offending rows of an iterator of row numbers.
    pub fn collect(rows: impl IntoIterator<Item = usize>) -> Self {
        let mut first = Vec::new();
        let mut count = 0;
        for r in rows {
            if first.len() < Self::MAX_LISTED {
                first.push(r);
            }
            count += 1;
        }
        Rows { first, count }
    }

    /// A single offending row.
    pub fn one(row: usize) -> Self {
        Rows { first: vec![row], count: 1 }
    }
}

impl fmt::Display for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listed: Vec<String> = self.first.iter().map(|r| r.to_string()).collect();
        let noun = if self.count == 1 { "row" } else { "rows" };
        write!(f, "{noun} {}", listed.join(", "))?;
        if self.count > self.first.len() {
            write!(f, " and {} more", self.count - self.first.len())?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in storelytics. Each variant names what is wrong and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required column is not in the input.
    #[error("missing required column `{column}`{}", hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default())]
    MissingColumn {
        /// The column name as the caller spelled it (after mapping).
        column: String,
        /// What else would satisfy the requirement, if anything.
        hint: Option<String>,
    },
    /// A column has a type that cannot be used for its role.
    #[error("column `{column}` has type {found}, expected {expected}")]
    WrongType {
        /// Column name.
        column: String,
        /// What the column's role needs.
        expected: String,
        /// What the input holds.
        found: String,
    },
    /// A required column holds nulls.
    #[error("column `{column}` is required but is null in {rows}")]
    NullValue {
        /// Column name.
        column: String,
        /// Offending rows.
        rows: Rows,
    },
    /// Values that cannot be used: NaN, infinity, negative price, unparseable timestamp, ...
    #[error("column `{column}` has {problem} in {rows}")]
    InvalidValue {
        /// Column name.
        column: String,
        /// What is wrong with the values, e.g. "a NaN or infinite value".
        problem: String,
        /// Offending rows.
        rows: Rows,
    },
    /// Columns of one input have different lengths.
    #[error("column `{column}` has {found} rows but `{reference}` has {expected}")]
    LengthMismatch {
        /// Column with the unexpected length.
        column: String,
        /// Reference column.
        reference: String,
        /// Length of the reference column.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// The lines of one order disagree on something an order has only one of.
    #[error("order `{order_id}` is inconsistent: {problem} ({rows})")]
    InconsistentOrder {
        /// The caller's order id.
        order_id: String,
        /// What disagrees.
        problem: String,
        /// Rows involved.
        rows: Rows,
    },
    /// Catalogue or line data disagree about a product.
    #[error("product `{product_id}` is inconsistent: {problem}")]
    InconsistentProduct {
        /// The caller's product id.
        product_id: String,
        /// What disagrees.
        problem: String,
    },
    /// A time zone name that is not an IANA zone.
    #[error("store `{store_id}` has unknown time zone `{time_zone}` (expected an IANA name such as `Europe/Berlin`)")]
    UnknownTimeZone {
        /// The store.
        store_id: String,
        /// The name given.
        time_zone: String,
    },
    /// A parameter is out of its valid range.
    #[error("invalid parameter `{name}`: {problem}")]
    InvalidParameter {
        /// Parameter name as in the options struct.
        name: String,
        /// What is wrong and what is allowed.
        problem: String,
    },
    /// Not enough data for the requested analysis.
    #[error("insufficient data for {analysis}: {problem}")]
    InsufficientData {
        /// The analysis that needs more data.
        analysis: String,
        /// What is missing, e.g. "needs at least 14 observations, got 5".
        problem: String,
    },
    /// An id the caller asked about is not in the data.
    #[error("unknown {kind} id `{id}`")]
    UnknownId {
        /// "store", "product", "customer", ...
        kind: String,
        /// The id as given.
        id: String,
    },
    /// A numerical procedure did not converge or produced a non-finite result.
    #[error("{analysis} failed numerically: {problem}")]
    Numerical {
        /// The procedure.
        analysis: String,
        /// What happened.
        problem: String,
    },
    /// Reading a file failed.
    #[error("cannot read `{path}`: {problem}")]
    Io {
        /// The path given.
        path: String,
        /// The underlying problem.
        problem: String,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid_parameter(name: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::InvalidParameter { name: name.into(), problem: problem.into() }
    }

    /// Shorthand for [`Error::InsufficientData`].
    pub fn insufficient_data(analysis: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::InsufficientData { analysis: analysis.into(), problem: problem.into() }
    }

    /// A stable, machine-readable name of the error kind (used by the bindings).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::MissingColumn { .. }
            | Error::WrongType { .. }
            | Error::NullValue { .. }
            | Error::InvalidValue { .. }
            | Error::LengthMismatch { .. }
            | Error::InconsistentOrder { .. }
            | Error::InconsistentProduct { .. } => "schema",
            Error::UnknownTimeZone { .. } | Error::InvalidParameter { .. } => "invalid_parameter",
            Error::InsufficientData { .. } => "insufficient_data",
            Error::UnknownId { .. } => "unknown_id",
            Error::Numerical { .. } => "numerical",
            Error::Io { .. } => "io",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_display_lists_first_and_counts_rest() {
        let rows = Rows::collect([3, 7, 9, 10, 11, 12, 40]);
        assert_eq!(rows.to_string(), "rows 3, 7, 9, 10, 11 and 2 more");
        assert_eq!(Rows::one(4).to_string(), "row 4");
    }
}
