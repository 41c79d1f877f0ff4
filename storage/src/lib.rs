#![doc = include_str!("../README.md")]

mod audit;
mod audit_sql;
mod codec;
mod common;
mod error;
mod metrics;
mod model;
mod password;
mod postgres;
mod repository;
mod sqlite;

pub use audit::{
    ArchiveReport, AuditEntry, CHECKPOINT_ACTION, ChainHead, ChainProblem, GENESIS_HASH, NewAuditEntry, SignedHead,
    VerifyReport,
};
pub use error::{Result, StorageError};
pub use metrics::daily_metrics;
pub use model::{
    AnomalyRecord, CustomerRecord, DailyMetric, ForecastRecord, IngestOptions, IngestReport, NewStore, NewUser,
    ProductRecord, Role, SegmentRecord, Store, StoreId, User,
};
pub use postgres::PgStorage;
pub use repository::Repository;
pub use sqlite::SqliteStorage;
