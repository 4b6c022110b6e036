//! `cargo bench -p second-opinion`: engine start-up and `check` at every post size, on
//! realistic and adversarial text, so the cost curve (which must stay linear) is visible.

mod texts;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use second_opinion::{Checker, Config};
use std::time::Duration;
use texts::{Kind, SIZES};

/// What a (re)started service worker pays: compiling the packs, then the first check, which
/// also compiles the patterns that post needs.
fn start(c: &mut Criterion) {
    let mut group = c.benchmark_group("start");
    group.sample_size(20);
    group.bench_function("Checker::new", |b| b.iter(|| Checker::with_own_engine(Config::default()).unwrap()));
    let post = texts::text(Kind::Realistic, 280);
    group.bench_function("Checker::new + first check (280)", |b| {
        b.iter(|| Checker::with_own_engine(Config::default()).unwrap().check(&post));
    });
    group.finish();
}

/// Warm checks: the engine is compiled and every pattern the text needs has been used once.
fn check(c: &mut Criterion) {
    let checker = Checker::new(Config::default()).unwrap();
    for kind in Kind::ALL {
        let mut group = c.benchmark_group(format!("check/{}", kind.name()));
        for chars in SIZES {
            let text = texts::text(kind, chars);
            checker.check(&text);
            group.throughput(Throughput::Elements(chars as u64));
            if chars >= 100_000 {
                group.sample_size(10).measurement_time(Duration::from_secs(8));
            }
            group.bench_with_input(BenchmarkId::from_parameter(chars), &text, |b, text| b.iter(|| checker.check(text)));
        }
        group.finish();
    }
}

/// What the learned layer adds to a check: a 280-character realistic post with every rule,
/// and with the rules that read the learned scorers switched off (the scorers then never run).
fn learned_layer(c: &mut Criterion) {
    let with = Checker::new(Config::default()).unwrap();
    let without = Checker::new(Config::default().without_learned_rules().unwrap()).unwrap();
    let mut group = c.benchmark_group("learned-layer");
    for kind in [Kind::Realistic, Kind::Clean] {
        let post = texts::text(kind, 280);
        group.bench_function(format!("{} 280, learned rules on", kind.name()), |b| b.iter(|| with.check(&post)));
        group.bench_function(format!("{} 280, learned rules off", kind.name()), |b| b.iter(|| without.check(&post)));
    }
    group.finish();
}

criterion_group!(benches, start, check, learned_layer);
criterion_main!(benches);
