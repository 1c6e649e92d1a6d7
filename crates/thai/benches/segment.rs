//! Segmentation throughput, printed and never asserted:
//! `cargo bench -p karuna-thai --bench segment`.
//!
//! The text is the gold set's sentences (`data/gold/segmentation.txt`, "|" removed) repeated to
//! at least 5 MB, segmented on one thread: once sentence by sentence (as notes are indexed) and
//! once as one long string. Characters are Unicode scalar values.

use karuna_thai::segment::segment_into;
use std::hint::black_box;
use std::time::{Duration, Instant};

const GOLD: &str = include_str!("../../../data/gold/segmentation.txt");
const TARGET_BYTES: usize = 5 * 1024 * 1024;
const ROUNDS: usize = 10;

fn main() {
    let sentences: Vec<String> = GOLD
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.replace('|', ""))
        .collect();
    let mut lines: Vec<&str> = Vec::new();
    let mut bytes = 0;
    while bytes < TARGET_BYTES {
        for sentence in &sentences {
            lines.push(sentence);
            bytes += sentence.len() + 1;
        }
    }
    let text = lines.join("\n");
    let chars = text.chars().count();
    let thai = text
        .chars()
        .filter(|ch| ('\u{0E00}'..='\u{0E7F}').contains(ch))
        .count();
    println!(
        "text: {} sentences, {:.1} MB, {} characters ({:.0}% Thai)",
        lines.len(),
        text.len() as f64 / 1e6,
        chars,
        100.0 * thai as f64 / chars as f64
    );

    let mut out = Vec::new();
    let start = Instant::now();
    segment_into("เริ่ม", &mut out);
    println!(
        "dictionary build (first call): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let mut tokens = 0;
    let per_line = best_of(|| {
        tokens = 0;
        for line in &lines {
            segment_into(black_box(line), &mut out);
            tokens += out.len();
        }
    });
    report("sentence by sentence", chars, text.len(), tokens, per_line);

    let whole = best_of(|| {
        segment_into(black_box(&text), &mut out);
        tokens = out.len();
    });
    report("whole text at once", chars, text.len(), tokens, whole);
}

/// The fastest of a few rounds, after one warm-up round.
fn best_of(mut run: impl FnMut()) -> Duration {
    run();
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn report(label: &str, chars: usize, bytes: usize, tokens: usize, time: Duration) {
    let seconds = time.as_secs_f64().max(1e-9);
    println!(
        "{label}: {:.1} M chars/s, {:.1} MB/s, {:.1} M tokens/s ({tokens} tokens in {:.1} ms)",
        chars as f64 / seconds / 1e6,
        bytes as f64 / seconds / 1e6,
        tokens as f64 / seconds / 1e6,
        seconds * 1e3
    );
}
