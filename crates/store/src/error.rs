//! The store's one error type.

/// What can go wrong below the use cases.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The driver or the database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A unique constraint refused the row (for example a taken username).
    #[error("unique constraint violated")]
    Duplicate,
    /// An update named a version that is no longer current.
    #[error("stale version")]
    StaleVersion,
    /// A stored value could not be read back (a bug or a manual edit).
    #[error("corrupt stored value in {0}")]
    Corrupt(&'static str),
    /// The configuration names something the store cannot open.
    #[error("cannot open database: {0}")]
    Open(String),
}

impl StoreError {
    /// Maps a unique violation to `Duplicate`, everything else to `Db`.
    pub fn from_insert(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Db(e),
        }
    }
}

/// Shorthand for store results.
pub type Result<T> = std::result::Result<T, StoreError>;
