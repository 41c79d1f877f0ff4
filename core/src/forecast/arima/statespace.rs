//! The state-space form of an ARIMA model and its Kalman filter (Harvey 1989; Gardner, Harvey
//! and Phillips 1980; Durbin and Koopman 2012, ch. 3 and 5).
//!
//! The state holds the `r = max(p, q + 1)` ARMA states followed by the last `d` observations
//! the differencing operator needs. The stationary ARMA block starts at its exact stationary
//! covariance, the differencing block at a diffuse prior (variance `kappa`); observations whose
//! prediction variance is still diffuse do not enter the likelihood. The filter runs with unit
//! innovation variance, so the innovation variance is concentrated out of the likelihood.

use crate::numeric::solve;

/// Prediction variances above this are treated as diffuse and left out of the likelihood.
const DIFFUSE_GAIN: f64 = 1e4;

/// A linear Gaussian state-space model of an ARIMA process with unit innovation variance.
#[derive(Debug, Clone)]
pub(crate) struct StateSpace {
    phi: Vec<f64>,
    theta: Vec<f64>,
    delta: Vec<f64>,
    r: usize,
    dim: usize,
    /// `phi` padded with zeros to length `r`.
    phi_pad: Vec<f64>,
    /// The MA loadings `(1, theta_1, ..., theta_{r-1})`.
    loadings: Vec<f64>,
    /// Covariance of the state at the first observation (row-major, `dim × dim`).
    initial_cov: Vec<f64>,
}

/// What a pass of the filter over the data gives.
#[derive(Debug, Clone)]
pub(crate) struct FilterOutput {
    /// Sum of squared standardised innovations of the non-diffuse observations.
    pub(crate) ssq: f64,
    /// Sum of the log prediction variances of the non-diffuse observations.
    pub(crate) sumlog: f64,
    /// Number of non-diffuse observations.
    pub(crate) nu: usize,
    /// Innovations scaled by the square root of their relative prediction variance.
    pub(crate) residuals: Vec<f64>,
    /// Filtered state after the last observation.
    pub(crate) state: Vec<f64>,
    /// Its covariance (row-major).
    pub(crate) cov: Vec<f64>,
}

impl FilterOutput {
    /// The concentrated objective `0.5 (ln(ssq / nu) + sumlog / nu)`, minus-log-likelihood per
    /// observation up to constants; `None` when it is not finite.
    pub(crate) fn objective(&self) -> Option<f64> {
        if self.nu == 0 || self.ssq <= 0.0 {
            return None;
        }
        let nu = self.nu as f64;
        let v = 0.5 * ((self.ssq / nu).ln() + self.sumlog / nu);
        v.is_finite().then_some(v)
    }
}

impl StateSpace {
    /// The model with expanded AR coefficients `phi`, MA coefficients `theta` and differencing
    /// coefficients `delta` (`y_t = Σ delta_j y_{t-j} + w_t`). `None` when the AR part is so
    /// close to non-stationarity that the stationary covariance cannot be computed.
    pub(crate) fn new(phi: &[f64], theta: &[f64], delta: &[f64], kappa: f64) -> Option<Self> {
        let r = phi.len().max(theta.len() + 1);
        let dim = r + delta.len();
        let q0 = stationary_cov(phi, theta, r)?;
        let mut initial_cov = vec![0.0; dim * dim];
        for i in 0..r {
            initial_cov[i * dim..i * dim + r].copy_from_slice(&q0[i * r..(i + 1) * r]);
        }
        for i in r..dim {
            initial_cov[i * dim + i] = kappa;
        }
        let mut phi_pad = phi.to_vec();
        phi_pad.resize(r, 0.0);
        let mut loadings = vec![1.0];
        loadings.extend_from_slice(theta);
        loadings.resize(r, 0.0);
        Some(StateSpace {
            phi: phi.to_vec(),
            theta: theta.to_vec(),
            delta: delta.to_vec(),
            r,
            dim,
            phi_pad,
            loadings,
            initial_cov,
        })
    }

    fn phi_at(&self, i: usize) -> f64 {
        self.phi.get(i).copied().unwrap_or(0.0)
    }

    /// The MA loading `R_i` of the state equation: `(1, theta_1, ..., theta_{r-1})`.
    fn loading(&self, i: usize) -> f64 {
        if i == 0 { 1.0 } else { self.theta.get(i - 1).copied().unwrap_or(0.0) }
    }

    /// `out = T x` for a state vector.
    fn transition(&self, x: &[f64], out: &mut [f64]) {
        let r = self.r;
        for i in 0..r {
            let next = if i + 1 < r { x[i + 1] } else { 0.0 };
            out[i] = self.phi_at(i) * x[0] + next;
        }
        if self.dim > r {
            let mut y = x[0];
            for (j, &dj) in self.delta.iter().enumerate() {
                if dj != 0.0 {
                    y += dj * x[r + j];
                }
            }
            out[r] = y;
            out[r + 1..self.dim].copy_from_slice(&x[r..self.dim - 1]);
        }
    }

    /// `out = T P T' + R R'` for a covariance matrix; `work` is scratch of the same size.
    fn propagate(&self, p: &[f64], work: &mut [f64], out: &mut [f64]) {
        let (r, n) = (self.r, self.dim);
        if n == r {
            // ARMA only: (T P T')_ij = phi_i u_j + phi_j P_i+1,0 + P_i+1,j+1 + R_i R_j with
            // u_j = phi_j P_00 + P_0,j+1; upper triangle, mirrored.
            let (phi, load) = (&self.phi_pad[..r], &self.loadings[..r]);
            let p00 = p[0];
            let u = &mut work[..r];
            for j in 0..r {
                u[j] = phi[j] * p00 + if j + 1 < r { p[j + 1] } else { 0.0 };
            }
            for i in 0..r {
                let (phi_i, r_i) = (phi[i], load[i]);
                let row = &mut out[i * n + i..i * n + r];
                if i + 1 < r {
                    let next = &p[(i + 1) * n..(i + 1) * n + r];
                    let p_i1_0 = next[0];
                    let shifted = &next[i + 1..];
                    let (head, last) = row.split_at_mut(r - i - 1);
                    for (k, v) in head.iter_mut().enumerate() {
                        let j = i + k;
                        *v = phi_i * u[j] + phi[j] * p_i1_0 + shifted[k] + r_i * load[j];
                    }
                    last[0] = phi_i * u[r - 1] + phi[r - 1] * p_i1_0 + r_i * load[r - 1];
                } else {
                    row[0] = phi_i * u[i] + r_i * load[i];
                }
            }
            for i in 0..r {
                for j in 0..i {
                    out[i * n + j] = out[j * n + i];
                }
            }
            return;
        }
        // work = T P (row combinations).
        for i in 0..r {
            let ph = self.phi_at(i);
            for k in 0..n {
                let next = if i + 1 < r { p[(i + 1) * n + k] } else { 0.0 };
                work[i * n + k] = ph * p[k] + next;
            }
        }
        if n > r {
            for k in 0..n {
                let mut v = p[k];
                for (j, &dj) in self.delta.iter().enumerate() {
                    if dj != 0.0 {
                        v += dj * p[(r + j) * n + k];
                    }
                }
                work[r * n + k] = v;
            }
            for i in r + 1..n {
                work[i * n..(i + 1) * n].copy_from_slice(&p[(i - 1) * n..i * n]);
            }
        }
        // out = work T' (column combinations).
        for row in 0..n {
            let w = &work[row * n..(row + 1) * n];
            let o = &mut out[row * n..(row + 1) * n];
            for i in 0..r {
                let next = if i + 1 < r { w[i + 1] } else { 0.0 };
                o[i] = self.phi_at(i) * w[0] + next;
            }
            if n > r {
                let mut v = w[0];
                for (j, &dj) in self.delta.iter().enumerate() {
                    if dj != 0.0 {
                        v += dj * w[r + j];
                    }
                }
                o[r] = v;
                o[r + 1..n].copy_from_slice(&w[r..n - 1]);
            }
        }
        for i in 0..r {
            let ri = self.loading(i);
            if ri == 0.0 {
                continue;
            }
            for j in 0..r {
                out[i * n + j] += ri * self.loading(j);
            }
        }
    }

    /// `Z x`: the observation implied by a state vector.
    fn observe(&self, x: &[f64]) -> f64 {
        let mut v = x[0];
        for (j, &dj) in self.delta.iter().enumerate() {
            if dj != 0.0 {
                v += dj * x[self.r + j];
            }
        }
        v
    }

    /// Runs the filter over `y` (NaN = missing). Once the prediction covariance has converged
    /// to its steady state it is frozen, which leaves the result unchanged to rounding.
    pub(crate) fn filter(&self, y: &[f64]) -> Option<FilterOutput> {
        let n = self.dim;
        let mut a = vec![0.0; n];
        let mut anew = vec![0.0; n];
        let mut p = vec![0.0; n * n];
        let mut pnew = self.initial_cov.clone();
        let mut prev = vec![f64::NAN; n * n];
        let mut work = vec![0.0; n * n];
        let mut m = vec![0.0; n];
        let mut out = FilterOutput {
            ssq: 0.0,
            sumlog: 0.0,
            nu: 0,
            residuals: Vec::with_capacity(y.len()),
            state: Vec::new(),
            cov: Vec::new(),
        };
        let mut steady = false;
        for (t, &obs) in y.iter().enumerate() {
            if t > 0 {
                self.transition(&a, &mut anew);
                if !steady {
                    std::mem::swap(&mut prev, &mut pnew);
                    self.propagate(&p, &mut work, &mut pnew);
                }
            }
            if obs.is_nan() {
                a.copy_from_slice(&anew);
                steady = false;
                p.copy_from_slice(&pnew);
                out.residuals.push(f64::NAN);
                continue;
            }
            let innovation = obs - self.observe(&anew);
            if !steady {
                for (i, mi) in m.iter_mut().enumerate() {
                    *mi = self.observe(&pnew[i * n..(i + 1) * n]);
                }
            }
            let gain = self.observe(&m);
            if !(gain > 0.0 && gain.is_finite() && innovation.is_finite()) {
                return None;
            }
            if gain < DIFFUSE_GAIN {
                out.nu += 1;
                out.ssq += innovation * innovation / gain;
                out.sumlog += gain.ln();
            }
            out.residuals.push(innovation / gain.sqrt());
            let k = innovation / gain;
            for i in 0..n {
                a[i] = anew[i] + m[i] * k;
            }
            if !steady {
                for i in 0..n {
                    let mi = m[i] / gain;
                    for j in i..n {
                        let v = pnew[i * n + j] - mi * m[j];
                        p[i * n + j] = v;
                        p[j * n + i] = v;
                    }
                }
                // The Riccati recursion has reached its fixed point when the prediction
                // covariance repeats (relative to the prediction variance); from then on it is
                // frozen.
                if gain < DIFFUSE_GAIN {
                    let tol = 1e-10 * gain.max(1.0);
                    steady = pnew.iter().zip(&prev).all(|(x, y)| (x - y).abs() <= tol);
                }
            }
        }
        out.state = a;
        out.cov = p;
        Some(out)
    }

    /// Means and variances (unit innovation variance) of the next `horizon` observations after
    /// the filtered `state` with covariance `cov`.
    pub(crate) fn forecast(&self, state: &[f64], cov: &[f64], horizon: usize) -> (Vec<f64>, Vec<f64>) {
        let n = self.dim;
        let mut a = state.to_vec();
        let mut anew = vec![0.0; n];
        let mut p = cov.to_vec();
        let mut pnew = vec![0.0; n * n];
        let mut work = vec![0.0; n * n];
        let mut m = vec![0.0; n];
        let mut means = Vec::with_capacity(horizon);
        let mut vars = Vec::with_capacity(horizon);
        for _ in 0..horizon {
            self.transition(&a, &mut anew);
            self.propagate(&p, &mut work, &mut pnew);
            means.push(self.observe(&anew));
            for (i, mi) in m.iter_mut().enumerate() {
                *mi = self.observe(&pnew[i * n..(i + 1) * n]);
            }
            vars.push(self.observe(&m).max(0.0));
            std::mem::swap(&mut a, &mut anew);
            std::mem::swap(&mut p, &mut pnew);
        }
        (means, vars)
    }
}

/// Stationary covariance of the ARMA block of the state (`r × r`, row-major), from the
/// autocovariances of the process and its cross-covariances with the innovations.
///
/// With `theta_0 = 1`, state element `i ≥ 1` (0-based) is
/// `Σ_{k>i} phi_k y_{t-(k-i)} + Σ_{k≥i} theta_k e_{t-(k-i)}` and element 0 is `y_t`, so each is
/// a finite combination of lagged observations and innovations whose covariances are known.
fn stationary_cov(phi: &[f64], theta: &[f64], r: usize) -> Option<Vec<f64>> {
    let (psi, gamma) = autocovariances(phi, theta, r)?;
    let theta_at = |k: usize| if k == 0 { 1.0 } else { theta.get(k - 1).copied().unwrap_or(0.0) };
    let phi_at = |k: usize| if k == 0 { 0.0 } else { phi.get(k - 1).copied().unwrap_or(0.0) };
    // Coefficients of each state element on y_{t-l} (ys) and e_{t-l} (es), l = 0..=r.
    let mut ys = vec![0.0; r * (r + 1)];
    let mut es = vec![0.0; r * (r + 1)];
    ys[0] = 1.0;
    for i in 1..r {
        for k in i + 1..=r {
            ys[i * (r + 1) + (k - i)] = phi_at(k);
        }
        for k in i..r {
            es[i * (r + 1) + (k - i)] = theta_at(k);
        }
    }
    // cov(y_{t-l}, e_{t-m}) = psi_{m-l} for m ≥ l.
    let cross = |l: usize, m: usize| if m >= l { psi[m - l] } else { 0.0 };
    let mut q0 = vec![0.0; r * r];
    for i in 0..r {
        let (yi, ei) = (&ys[i * (r + 1)..(i + 1) * (r + 1)], &es[i * (r + 1)..(i + 1) * (r + 1)]);
        for j in i..r {
            let (yj, ej) = (&ys[j * (r + 1)..(j + 1) * (r + 1)], &es[j * (r + 1)..(j + 1) * (r + 1)]);
            let mut v = 0.0;
            for (l, &yl) in yi.iter().enumerate() {
                if yl != 0.0 {
                    for (m, &ym) in yj.iter().enumerate() {
                        if ym != 0.0 {
                            v += yl * ym * gamma[l.abs_diff(m)];
                        }
                    }
                    for (m, &em) in ej.iter().enumerate() {
                        if em != 0.0 {
                            v += yl * em * cross(l, m);
                        }
                    }
                }
            }
            for (l, &el) in ei.iter().enumerate() {
                if el != 0.0 {
                    for (m, &ym) in yj.iter().enumerate() {
                        if ym != 0.0 {
                            v += el * ym * cross(m, l);
                        }
                    }
                    v += el * ej[l];
                }
            }
            q0[i * r + j] = v;
            q0[j * r + i] = v;
        }
    }
    q0.iter().all(|v| v.is_finite()).then_some(q0)
}

/// The psi weights (MA(∞) form) and autocovariances `gamma(0..=r)` of the ARMA process with
/// unit innovation variance; `None` when the Yule–Walker-type system is singular.
pub(crate) fn autocovariances(phi: &[f64], theta: &[f64], r: usize) -> Option<(Vec<f64>, Vec<f64>)> {
    let p = phi.len();
    let q = theta.len();
    let theta_at = |k: usize| if k == 0 { 1.0 } else { theta.get(k - 1).copied().unwrap_or(0.0) };
    let phi_at = |k: usize| if k == 0 { 0.0 } else { phi.get(k - 1).copied().unwrap_or(0.0) };
    let mut psi = vec![0.0; r + 1];
    for j in 0..=r {
        let mut v = theta_at(j);
        for i in 1..=j.min(p) {
            v += phi_at(i) * psi[j - i];
        }
        psi[j] = v;
    }
    let rhs_at = |k: usize| -> f64 { (k..=q).map(|j| theta_at(j) * psi.get(j - k).copied().unwrap_or(0.0)).sum() };
    // gamma(0..=p) from the Yule–Walker-type system, then by recursion.
    let mut a = vec![0.0; (p + 1) * (p + 1)];
    let mut b = vec![0.0; p + 1];
    for k in 0..=p {
        a[k * (p + 1) + k] += 1.0;
        for i in 1..=p {
            a[k * (p + 1) + k.abs_diff(i)] -= phi_at(i);
        }
        b[k] = if k <= q { rhs_at(k) } else { 0.0 };
    }
    let head = solve(&mut a, &mut b, p + 1)?;
    let mut gamma = vec![0.0; r + 1];
    for k in 0..=r {
        gamma[k] = if k <= p {
            head.get(k).copied().unwrap_or(0.0)
        } else {
            let mut v = if k <= q { rhs_at(k) } else { 0.0 };
            for i in 1..=p {
                v += phi_at(i) * gamma[k - i];
            }
            v
        };
    }
    Some((psi, gamma))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stationary_cov_of_ar1_and_ma1() {
        let q = stationary_cov(&[0.5], &[], 1).unwrap();
        assert!((q[0] - 1.0 / 0.75).abs() < 1e-12);
        // MA(1): state (y_t, theta e_t); var y = 1 + theta^2, cov = theta, var = theta^2.
        let q = stationary_cov(&[], &[0.4], 2).unwrap();
        assert!((q[0] - 1.16).abs() < 1e-12);
        assert!((q[1] - 0.4).abs() < 1e-12);
        assert!((q[3] - 0.16).abs() < 1e-12);
    }

    #[test]
    fn stationary_cov_solves_lyapunov_equation() {
        let phi = [0.5, -0.2, 0.1];
        let theta = [0.3, 0.2];
        let ss = StateSpace::new(&phi, &theta, &[], 1e6).unwrap();
        let n = ss.dim;
        let mut work = vec![0.0; n * n];
        let mut out = vec![0.0; n * n];
        ss.propagate(&ss.initial_cov, &mut work, &mut out);
        for (a, b) in out.iter().zip(&ss.initial_cov) {
            assert!((a - b).abs() < 1e-10, "{a} vs {b}");
        }
    }

    #[test]
    fn random_walk_filter_recovers_differences() {
        // ARIMA(0,1,0): innovations after the first (diffuse) observation are the differences.
        let ss = StateSpace::new(&[], &[], &[1.0], 1e6).unwrap();
        let y = [1.0, 3.0, 2.0, 5.0];
        let out = ss.filter(&y).unwrap();
        assert_eq!(out.nu, 3);
        assert!((out.ssq - (4.0 + 1.0 + 9.0)).abs() < 1e-4);
        let (means, vars) = ss.forecast(&out.state, &out.cov, 2);
        assert!((means[0] - 5.0).abs() < 1e-6 && (means[1] - 5.0).abs() < 1e-6);
        assert!((vars[0] - 1.0).abs() < 1e-4 && (vars[1] - 2.0).abs() < 1e-4);
    }
}
