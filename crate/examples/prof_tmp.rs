#[path = "../benches/texts.rs"]
mod texts;
use second_opinion::{Checker, Config};
fn main() {
    let kind = match std::env::args().nth(1).as_deref() { Some("clean") => texts::Kind::Clean, Some("digits") => texts::Kind::Digits, _ => texts::Kind::Realistic };
    let n: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(280);
    let reps: usize = std::env::args().nth(3).map(|s| s.parse().unwrap()).unwrap_or(5000);
    let t0 = std::time::Instant::now();
    let checker = Checker::new(Config::default()).unwrap();
    eprintln!("new {:?}", t0.elapsed());
    let text = texts::text(kind, n);
    checker.check(&text);
    let t = std::time::Instant::now();
    let mut k = 0;
    for _ in 0..reps { k += checker.check(&text).len(); }
    eprintln!("{} findings, {:?}/check", k / reps, t.elapsed() / reps as u32);
}
