//! Customer analytics: RFM scores and segments, k-means clusters and lifetime value.

mod scores;
