//! The bounded k-means must give Lloyd's results bit for bit: a plain Lloyd implementation
//! (sequential, every distance computed, k-means++ draws by linear scan, sums over the rows of a
//! block kept per lane as the kernels keep them) is the reference.

use super::dense::Kernel;
use super::rng::Rng;
use super::{Run, run, run_with};

mod lloyd {
    use super::{Rng, Run};

    const BLOCK: usize = 4096;
    const LANES: usize = 8;

    /// Sum over the rows of a block: row `i`'s value (if any) into lane `i % LANES` in row
    /// order, then the lanes in lane order.
    fn block_sum(values: impl IntoIterator<Item = Option<f64>>) -> f64 {
        let mut lanes = [0.0; LANES];
        for (i, v) in values.into_iter().enumerate() {
            if let Some(v) = v {
                lanes[i % LANES] += v;
            }
        }
        lanes.iter().fold(0.0, |a, b| a + b)
    }

    #[inline]
    fn dist2(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
    }

    /// Nearest centre of `row` and its squared distance (ties: lowest centre).
    #[inline]
    fn nearest(row: &[f64], centroids: &[f64], d: usize) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (c, centre) in centroids.chunks_exact(d).enumerate() {
            let e = dist2(row, centre);
            if e < best.1 {
                best = (c, e);
            }
        }
        best
    }

    /// Greedy k-means++: each new centre is the best (lowest potential) of `2 + ln k` candidates
    /// drawn with probability proportional to the squared distance to the nearest chosen centre
    /// (by a linear scan over block totals, then over the rows of the block drawn).
    /// A candidate's potential is summed in row order within blocks of `BLOCK` rows, the blocks
    /// in order.
    fn init(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
        let n = x.len() / d;
        let row = |i: usize| x.get(i * d..(i + 1) * d).unwrap_or(&[]);
        let mut centroids = Vec::with_capacity(k * d);
        let first = ((rng.unit() * n as f64) as usize).min(n.saturating_sub(1));
        centroids.extend_from_slice(row(first));
        let mut closest: Vec<f64> = (0..n).map(|i| dist2(row(i), row(first))).collect();
        let trials = 2 + (k as f64).ln() as usize;
        for _ in 1..k {
            // Draws: a block by the running total of block sums, then a row within it.
            let totals: Vec<f64> = closest.chunks(BLOCK).map(|b| block_sum(b.iter().map(|&v| Some(v)))).collect();
            let potential = totals.iter().fold(0.0, |a, b| a + b);
            let mut best: Option<(f64, usize, Vec<f64>)> = None;
            for _ in 0..trials {
                let target = rng.unit() * potential;
                let mut pick = n.saturating_sub(1);
                let mut before = 0.0;
                for (b, (block, &total)) in closest.chunks(BLOCK).zip(&totals).enumerate() {
                    if before + total > target {
                        pick = b * BLOCK + block.len() - 1;
                        let mut acc = before;
                        for (i, &c) in block.iter().enumerate() {
                            acc += c;
                            if acc > target {
                                pick = b * BLOCK + i;
                                break;
                            }
                        }
                        break;
                    }
                    before += total;
                }
                let candidate = row(pick);
                let dists: Vec<f64> =
                    closest.iter().enumerate().map(|(i, &c)| c.min(dist2(row(i), candidate))).collect();
                // Summed by blocks of BLOCK rows, blocks added in order.
                let p: f64 = dists.chunks(BLOCK).map(|b| block_sum(b.iter().map(|&v| Some(v)))).fold(0.0, |a, b| a + b);
                if best.as_ref().is_none_or(|b| p < b.0) {
                    best = Some((p, pick, dists));
                }
            }
            if let Some((_, pick, dists)) = best {
                centroids.extend_from_slice(row(pick));
                closest = dists;
            }
        }
        centroids
    }

    /// Per-block result of the assignment step: label changes, per-centre sums and counts, inertia.
    struct Block {
        changed: usize,
        sums: Vec<f64>,
        counts: Vec<usize>,
        inertia: f64,
    }

    fn assign_block(
        x: &[f64],
        d: usize,
        k: usize,
        centroids: &[f64],
        labels: &mut [usize],
        dists: &mut [f64],
    ) -> Block {
        let mut changed = 0;
        let mut counts = vec![0; k];
        for ((row, label), dist) in x.chunks_exact(d).zip(labels.iter_mut()).zip(dists.iter_mut()) {
            let (c, e) = nearest(row, centroids, d);
            if *label != c {
                changed += 1;
                *label = c;
            }
            *dist = e;
            counts[c] += 1;
        }
        // Per centre and column, the values of the rows in the cluster, each in its row's lane.
        let mut sums = vec![0.0; k * d];
        for c in 0..k {
            for j in 0..d {
                sums[c * d + j] =
                    block_sum(x.chunks_exact(d).zip(labels.iter()).map(|(row, &l)| (l == c).then(|| row[j])));
            }
        }
        let inertia = block_sum(dists.iter().map(|&v| Some(v)));
        Block { changed, sums, counts, inertia }
    }

    /// Assigns every row to its nearest centre; returns the block results in block order.
    fn assign(x: &[f64], d: usize, k: usize, centroids: &[f64], labels: &mut [usize], dists: &mut [f64]) -> Vec<Block> {
        let blocks = x.chunks(BLOCK * d).zip(labels.chunks_mut(BLOCK)).zip(dists.chunks_mut(BLOCK));
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let blocks: Vec<_> = blocks.collect();
            blocks.into_par_iter().map(|((x, l), e)| assign_block(x, d, k, centroids, l, e)).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            blocks.map(|((x, l), e)| assign_block(x, d, k, centroids, l, e)).collect()
        }
    }

    /// One k-means run from a seeded k-means++ start. `x` holds `n >= k` finite rows of `d` values.
    pub(crate) fn run(x: &[f64], d: usize, k: usize, seed: u64, max_iterations: u64, tolerance: f64) -> Run {
        let n = x.len() / d;
        let mut rng = Rng(seed);
        let mut centroids = init(x, d, k, &mut rng);
        let mut labels = vec![usize::MAX; n];
        let mut dists = vec![0.0; n];
        for _ in 0..max_iterations {
            let blocks = assign(x, d, k, &centroids, &mut labels, &mut dists);
            let changed: usize = blocks.iter().map(|b| b.changed).sum();
            let mut sums = vec![0.0; k * d];
            let mut counts = vec![0usize; k];
            for b in &blocks {
                sums.iter_mut().zip(&b.sums).for_each(|(s, v)| *s += v);
                counts.iter_mut().zip(&b.counts).for_each(|(s, v)| *s += v);
            }
            let mut next = sums;
            let mut taken: Vec<usize> = Vec::new();
            for (centre, &count) in next.chunks_exact_mut(d).zip(&counts) {
                if count > 0 {
                    centre.iter_mut().for_each(|v| *v /= count as f64);
                } else {
                    // An empty cluster restarts at the row farthest from its centre.
                    let far = dists.iter().enumerate().filter(|(i, _)| !taken.contains(i)).fold(
                        None::<(usize, f64)>,
                        |b, (i, &e)| if b.is_none_or(|b| e > b.1) { Some((i, e)) } else { b },
                    );
                    if let Some((i, _)) = far
                        && let Some(row) = x.get(i * d..(i + 1) * d)
                    {
                        taken.push(i);
                        centre.copy_from_slice(row);
                    }
                }
            }
            let shift: f64 = next.chunks_exact(d).zip(centroids.chunks_exact(d)).map(|(a, b)| dist2(a, b)).sum();
            centroids = next;
            if changed == 0 || shift <= tolerance {
                break;
            }
        }
        let blocks = assign(x, d, k, &centroids, &mut labels, &mut dists);
        let inertia = blocks.iter().map(|b| b.inertia).sum();
        Run { labels, centroids, inertia }
    }
}

/// Deterministic test data: `n` rows of `d` values around `blobs` centres, rounded to
/// `grid` (coarse grids make many equal rows and exact distance ties).
fn data(n: usize, d: usize, blobs: usize, grid: f64, seed: u64) -> Vec<f64> {
    let mut rng = Rng(seed);
    let centres: Vec<f64> = (0..blobs * d).map(|_| rng.unit() * 20.0 - 10.0).collect();
    (0..n)
        .flat_map(|i| {
            let b = i % blobs;
            (0..d).map(|j| centres[b * d + j] + (rng.unit() - 0.5) * 6.0).collect::<Vec<_>>()
        })
        .map(|v| (v / grid).round() * grid)
        .collect()
}

fn same(a: &Run, b: &Run) -> bool {
    a.labels == b.labels
        && a.centroids.iter().map(|v| v.to_bits()).eq(b.centroids.iter().map(|v| v.to_bits()))
        && a.inertia.to_bits() == b.inertia.to_bits()
}

#[test]
fn bounded_runs_equal_lloyd_runs_bit_for_bit() {
    let mut cases = 0;
    // Row counts that are not multiples of 8 leave the last group of rows part full.
    for (n, d) in [(50, 1), (701, 2), (9001, 3), (2000, 3), (1501, 4), (800, 5)] {
        for grid in [1e-9, 0.5, 2.0] {
            // k up to 8 with 2-4 values per row: the dense step; the others: Hamerly's bounds.
            for k in [1, 2, 3, 5, 8, 12] {
                for seed in 0..3u64 {
                    let x = data(n, d, 4, grid, seed * 31 + n as u64);
                    let s = super::run_seed(seed, 0);
                    let ours = run(&x, d, k, s, 300, 1e-6);
                    let reference = lloyd::run(&x, d, k, s, 300, 1e-6);
                    assert!(same(&ours, &reference), "n {n} d {d} grid {grid} k {k} seed {seed}");
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 6 * 3 * 6 * 3);
}

/// The kernel versions this processor runs; says so when the AVX-512 one is not among them
/// (its equality with the reference is then not checked on this machine).
fn kernels() -> Vec<Kernel> {
    let all = Kernel::available();
    if !all.iter().any(|k| k.is_avx512()) {
        eprintln!("this processor has no AVX-512: the AVX-512 kernel is not tested here");
    }
    all
}

#[test]
fn every_kernel_version_equals_lloyd_bit_for_bit() {
    // The dense step's cases (k up to 8, 2-4 values per row), with every version of its block
    // kernel this processor runs (portable, and on x86-64 AVX2 and AVX-512 when present). Row
    // counts: fewer than a group, whole groups, and blocks with a part-full last group.
    for kernel in kernels() {
        for (n, d) in [(5, 3), (8, 2), (701, 2), (4096 + 8, 3), (9001, 3), (4103, 4)] {
            for grid in [1e-9, 0.5] {
                for k in [1, 2, 5, 8] {
                    if k > n {
                        continue;
                    }
                    let x = data(n, d, 4, grid, k as u64 * 7 + n as u64);
                    let s = super::run_seed(k as u64, 0);
                    let ours = run_with(kernel, &x, d, k, s, 300, 1e-6);
                    let reference = lloyd::run(&x, d, k, s, 300, 1e-6);
                    assert!(same(&ours, &reference), "{kernel:?} n {n} d {d} grid {grid} k {k}");
                }
            }
        }
    }
}

#[test]
fn every_kernel_version_gives_the_same_blocks() {
    // One assignment step and a second one to the same centres (no label changes), compared
    // block by block: label changes, cluster sums and counts, inertia and labels.
    use super::dense::{PADDING, assign};
    use super::lanes::{Groups, LANES};
    let x = data(3 * super::bounds::BLOCK + 13, 3, 5, 1e-9, 21);
    let groups = Groups::<3>::new(&x);
    let centroids: Vec<f64> = x[..5 * 3].iter().map(|v| v + 0.25).collect();
    let step = |kernel: Kernel| {
        let mut labels = vec![PADDING; groups.groups.len() * LANES];
        let first = assign::<3, true>(kernel, &groups, &mut labels, &centroids);
        let second = assign::<3, true>(kernel, &groups, &mut labels, &centroids);
        let summary = |blocks: &[super::bounds::Block]| -> Vec<(usize, Vec<u64>, Vec<usize>, u64)> {
            blocks
                .iter()
                .map(|b| {
                    (b.changed, b.sums.iter().map(|v| v.to_bits()).collect(), b.counts.clone(), b.inertia.to_bits())
                })
                .collect()
        };
        (summary(&first), summary(&second), labels)
    };
    let all = kernels();
    let (first, second, labels) = step(all[0]);
    assert_eq!(first.len(), 4);
    assert_eq!(first.iter().map(|b| b.0).sum::<usize>(), x.len() / 3, "every row changes from PADDING");
    assert!(second.iter().all(|b| b.0 == 0), "the same centres change no label");
    assert_eq!(first.iter().map(|b| b.2.iter().sum::<usize>()).sum::<usize>(), x.len() / 3);
    for &kernel in &all[1..] {
        assert_eq!(step(kernel), (first.clone(), second.clone(), labels.clone()), "{kernel:?}");
    }
}

#[test]
fn empty_clusters_restart_as_lloyd_does() {
    // Three distinct rows, repeated: six centres start on duplicates and some clusters empty.
    let x: Vec<f64> = (0..60).flat_map(|i| [(i % 3) as f64, 0.0, 1.0]).collect();
    for kernel in kernels() {
        for seed in 0..5 {
            let ours = run_with(kernel, &x, 3, 6, seed, 50, 1e-9);
            let reference = lloyd::run(&x, 3, 6, seed, 50, 1e-9);
            assert!(same(&ours, &reference), "{kernel:?} seed {seed}");
        }
    }
}

#[test]
fn huge_values_follow_lloyd() {
    let x = [1e300, -1e300, 0.0, 1e300, -1e300, 1e300, 5.0, -1e300, 1e300, 0.0, 1.0, 2.0];
    for kernel in kernels() {
        for k in 1..=6 {
            let ours = run_with(kernel, &x, 2, k, 7, 20, 1e-4);
            let reference = lloyd::run(&x, 2, k, 7, 20, 1e-4);
            assert_eq!(ours.labels, reference.labels, "{kernel:?} k {k}");
            assert_eq!(ours.inertia.to_bits(), reference.inertia.to_bits(), "{kernel:?} k {k}");
        }
    }
}

#[cfg(feature = "parallel")]
#[test]
fn one_thread_and_three_threads_give_the_same_run() {
    // Several blocks of rows, dense (k 5, 3 values) and bounded (k 12) steps.
    let x = data(3 * super::bounds::BLOCK + 7, 3, 5, 1e-9, 11);
    for k in [5, 12] {
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| run(&x, 3, k, super::run_seed(3, 0), 300, 1e-6))
        };
        assert!(same(&on(1), &on(3)), "k {k}");
    }
}

#[test]
fn a_value_that_is_not_finite_is_refused_wherever_it_is() {
    // Rows of 3 values (row length fixed at compile time) and of 5 (known at run time), over
    // several blocks; the bad value in the first row, the middle and the last value.
    for d in [3, 5] {
        let clean = data(2 * super::bounds::BLOCK + 3, d, 3, 1e-9, 5);
        assert!(super::mean_variance(&clean, d).is_some_and(f64::is_finite), "d {d}");
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for at in [0, clean.len() / 2 + 1, clean.len() - 1] {
                let mut x = clean.clone();
                x[at] = bad;
                assert_eq!(super::mean_variance(&x, d), None, "d {d} value {bad} at {at}");
                let err = crate::customers::kmeans(&x, d, 2, &crate::customers::ClusterOptions::default()).unwrap_err();
                assert!(
                    matches!(&err, crate::Error::InvalidParameter { name, .. } if name == "features"),
                    "d {d} value {bad} at {at}: {err}"
                );
            }
        }
    }
}
