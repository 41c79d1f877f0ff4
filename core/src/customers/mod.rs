//! Customer analytics: RFM scores and segments, k-means clusters and lifetime value.

mod rfm;
mod segments;

pub use segments::{Segment, SegmentMap, SegmentRule};
