//! A small deterministic PRNG (SplitMix64), and the seeds randomised tests run:
//! a fixed list plus one fresh seed, each printed, or only `SEED=…` to replay.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0)");
        usize::try_from(self.next_u64() % (n as u64)).unwrap_or(0)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn fork(&mut self) -> Rng {
        Rng(self.next_u64())
    }
}

/// The seeds one randomised test runs in this `cargo test`.
///
/// With `SEED=s` set: only `s`, to replay a run. Otherwise every seed in `fixed`
/// (seeds that once failed, and a few chosen ones, so every run covers them), then
/// one fresh seed (`FRESH_SEED` when set, as `.ci/run` does, else from the clock),
/// so every CI run also explores somewhere new.
/// Each is printed on stderr as `<test>: SEED=<s>` before the test runs it; cargo
/// shows that output for a failing test, so a red CI log alone names the seed to
/// replay. A `SEED` that is not a number fails the test rather than being ignored.
pub fn seeds(test: &str, fixed: &[u64]) -> Vec<u64> {
    let env = std::env::var("SEED").ok();
    // CI picks the fresh seed itself and prints it first, so even a green log names it.
    let fresh = || match std::env::var("FRESH_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{test}: FRESH_SEED={text:?} is not a number (a u64)")),
        Err(_) => fresh_seed(),
    };
    let seeds = choose_seeds(env.as_deref(), fixed, fresh)
        .unwrap_or_else(|bad| panic!("{test}: SEED={bad:?} is not a number (a u64)"));
    for (i, s) in seeds.iter().enumerate() {
        let kind = match (&env, i < fixed.len()) {
            (Some(_), _) => "from the environment",
            (None, true) => "fixed",
            (None, false) => "fresh",
        };
        eprintln!("{test}: SEED={s} ({kind})");
    }
    seeds
}

/// Runs `run` once for each of [`seeds`]`(test, fixed)`. When one fails, prints
/// `<test>: FAILED with SEED=<s>` and then fails the test with the original panic.
pub fn for_each_seed(test: &str, fixed: &[u64], run: impl FnMut(u64)) {
    run_each(test, seeds(test, fixed), run);
}

fn run_each(test: &str, seeds: Vec<u64>, mut run: impl FnMut(u64)) {
    for seed in seeds {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(seed)));
        if let Err(e) = r {
            eprintln!("{test}: FAILED with SEED={seed}; replay: SEED={seed} cargo test … {test}");
            std::panic::resume_unwind(e);
        }
    }
}

/// The seeds of `n` cases run from one seed: the seed itself first (so a seed
/// that failed as a single case stays that case), then `n - 1` drawn from
/// `Rng::new(seed)`. Two different seeds give unrelated cases, never overlapping
/// runs the way `seed, seed + 1, …` would.
pub fn cases(seed: u64, n: usize) -> impl Iterator<Item = u64> {
    let mut rng = Rng::new(seed);
    std::iter::once(seed)
        .chain(std::iter::from_fn(move || Some(rng.next_u64())))
        .take(n)
}

/// `Err(text)` when `SEED` is set but not a u64.
fn choose_seeds<'a>(
    env: Option<&'a str>,
    fixed: &[u64],
    fresh: impl FnOnce() -> u64,
) -> Result<Vec<u64>, &'a str> {
    match env {
        Some(text) => match text.trim().parse() {
            Ok(s) => Ok(vec![s]),
            Err(_) => Err(text),
        },
        None => {
            let mut all = fixed.to_vec();
            all.push(fresh());
            Ok(all)
        }
    }
}

fn fresh_seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    // Mixed so that seeds taken a moment apart look unrelated.
    Rng::new((t as u64) ^ u64::from(std::process::id()).rotate_left(32)).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_seeds_then_one_fresh_or_only_the_given_one() {
        assert_eq!(choose_seeds(None, &[3, 1], || 99), Ok(vec![3, 1, 99]));
        assert_eq!(choose_seeds(None, &[], || 99), Ok(vec![99]));
        assert_eq!(choose_seeds(Some(" 42\n"), &[3, 1], || 99), Ok(vec![42]));
        assert_eq!(choose_seeds(Some("0x2a"), &[3], || 99), Err("0x2a"));
        assert_eq!(choose_seeds(Some(""), &[3], || 99), Err(""));
        assert_ne!(fresh_seed(), fresh_seed());
    }

    #[test]
    fn cases_start_with_the_seed_and_do_not_overlap() {
        let a: Vec<u64> = cases(1, 64).collect();
        let b: Vec<u64> = cases(2, 64).collect();
        assert_eq!(a.len(), 64);
        assert_eq!(a[0], 1);
        assert_eq!(cases(1, 1).collect::<Vec<_>>(), [1]);
        assert_eq!(cases(1, 0).count(), 0);
        assert!(a.iter().all(|s| !b.contains(s)));
        // Deterministic: the same seed gives the same cases.
        assert_eq!(a, cases(1, 64).collect::<Vec<_>>());
    }

    #[test]
    fn a_failing_seed_fails_the_test() {
        let mut ran = Vec::new();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_each("t", vec![1, 2, 3], |s| {
                ran.push(s);
                assert_ne!(s, 2);
            });
        }));
        assert!(r.is_err());
        assert_eq!(ran, [1, 2], "stops at the failing seed");
        let mut ran = Vec::new();
        run_each("t", vec![1, 3], |s| ran.push(s));
        assert_eq!(ran, [1, 3]);
    }
}
