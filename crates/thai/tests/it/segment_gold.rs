//! Word-level accuracy of the segmenter against the hand-segmented gold set
//! `data/gold/segmentation.txt`: precision, recall and F1 over word spans, printed (visible with
//! `--nocapture`) and held above a floor. Set `KARUNA_SEGMENT_DIFF=1` to print every sentence
//! the segmenter splits differently.

use karuna_thai::segment::{segment, segment_into};
use std::collections::HashSet;

const GOLD: &str = include_str!("../../../../data/gold/segmentation.txt");

/// The F1 the segmenter must keep on the gold set (issue 6 asks for at least 0.78).
const F1_FLOOR: f64 = 0.78;

/// A gold sentence: its unsegmented text and the byte spans of its words.
struct Sentence {
    text: String,
    words: Vec<(usize, usize)>,
}

/// Reads a gold line: "|" marks a boundary and is removed; white space is a boundary and stays
/// in the text (the segmenter drops it).
fn parse(line: &str) -> Sentence {
    let mut text = String::with_capacity(line.len());
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for ch in line.chars() {
        if ch == '|' || ch.is_whitespace() {
            if let Some(s) = start.take() {
                words.push((s, text.len()));
            }
            if ch != '|' {
                text.push(ch);
            }
        } else {
            start.get_or_insert(text.len());
            text.push(ch);
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    Sentence { text, words }
}

fn sentences() -> Vec<Sentence> {
    GOLD.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(parse)
        .collect()
}

#[test]
fn gold_set_is_large_enough_and_well_formed() {
    let all = sentences();
    assert!(all.len() >= 200, "{} sentences", all.len());
    for sentence in &all {
        assert!(!sentence.words.is_empty());
        assert!(!sentence.text.contains('|'));
    }
}

#[test]
fn word_level_f1_on_gold_set() {
    let show_diff = std::env::var_os("KARUNA_SEGMENT_DIFF").is_some();
    let (mut predicted, mut expected, mut correct) = (0usize, 0usize, 0usize);
    let mut ranges = Vec::new();
    let mut differing = 0;
    for sentence in sentences() {
        segment_into(&sentence.text, &mut ranges);
        let gold: HashSet<(usize, usize)> = sentence.words.iter().copied().collect();
        predicted += ranges.len();
        expected += gold.len();
        let hits = ranges.iter().filter(|r| gold.contains(r)).count();
        correct += hits;
        if hits != ranges.len() || hits != gold.len() {
            differing += 1;
            if show_diff {
                let gold_words: Vec<&str> = sentence
                    .words
                    .iter()
                    .map(|&(s, e)| &sentence.text[s..e])
                    .collect();
                println!("gold: {}", gold_words.join("|"));
                println!("got:  {}\n", segment(&sentence.text).join("|"));
            }
        }
    }
    let precision = correct as f64 / predicted as f64;
    let recall = correct as f64 / expected as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    println!(
        "segmentation gold set: precision {precision:.4}, recall {recall:.4}, F1 {f1:.4} \
         ({correct} of {expected} gold words found, {predicted} words predicted, \
         {differing} sentences differ)"
    );
    assert!(f1 >= F1_FLOOR, "F1 {f1:.4} is below {F1_FLOOR}");
}
