//! Runnable examples of storelytics live in this package's `[[example]]` targets.
