//! Segmenting one run of Thai script: the cheapest path through the lattice of dictionary
//! words laid over the run's character clusters.
//!
//! Every cluster boundary is a node. From each node the trie is walked as far as the text
//! allows, and every dictionary word that ends on a cluster boundary is an edge. Where no word
//! fits, an "unknown" edge covers the shortest run of clusters up to the next node where a
//! dictionary word (or a full stop, ฯ, ๆ) can start. A path costs first the characters it leaves
//! unknown, then its number of words (maximal matching: fewest words). Among equally cheap
//! paths the one whose first word is shorter wins, at every node: Thai phrases tend to open with
//! short function words (ขอ|กลับ, not ขอก|ลับ; ไป|ดูแล, not ไปดู|แล), and on the gold set this
//! beat longest-first and the most even word lengths. The best path is found right to left in
//! one pass, so the work is linear in the run's length times the depth of the trie walks.

use super::dict::{Trie, ROOT};
use super::tcc::{self, DOT};

/// Cost of one token on a path.
const WORD: u64 = 1;
/// Cost of one character left unknown; dominates any number of words.
const UNKNOWN_CHAR: u64 = 1 << 32;

/// What the chosen edge out of a node is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// A dictionary word.
    Word,
    /// Clusters no dictionary word covers; adjacent unknown edges are merged into one token.
    Unknown,
    /// A full stop, ฯ or ๆ that no dictionary word covers: a token of its own.
    Alone,
}

/// Buffers reused from one run to the next, so segmenting allocates nothing once warm.
#[derive(Default)]
pub(super) struct Scratch {
    /// Codes of the current run (see `tcc::code_of`), filled by the caller.
    pub(super) codes: Vec<u8>,
    brk: Vec<bool>,
    cost: Vec<u64>,
    next: Vec<usize>,
    edge: Vec<Edge>,
}

impl Scratch {
    /// Longest run whose buffers are kept for the next call (about 1.2 MB); larger ones are
    /// freed, so one huge document does not pin memory in a server thread.
    const KEEP: usize = 1 << 16;

    /// Frees the buffers if an unusually long run grew them.
    pub(super) fn trim(&mut self) {
        if self.codes.capacity() > Self::KEEP {
            *self = Scratch::default();
        }
    }
}

/// How a run is segmented.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Running text: the cheapest path, a dictionary word of the whole run included.
    Text,
    /// A compound's parts: the whole run as one word is not a path.
    Parts,
}

/// Segments the run held in `scratch.codes`, which starts at byte `start` of the text, and
/// pushes the byte ranges of its tokens onto `out`. Returns whether every token is a
/// dictionary word (no unknown stretch, no lone full stop).
pub(super) fn segment_run(
    trie: &Trie,
    scratch: &mut Scratch,
    start: usize,
    mode: Mode,
    out: &mut Vec<(usize, usize)>,
) -> bool {
    let Scratch {
        codes,
        brk,
        cost,
        next,
        edge,
    } = scratch;
    let n = codes.len();
    if n == 0 {
        return true;
    }
    tcc::boundaries(codes, brk);
    cost.clear();
    cost.resize(n + 1, u64::MAX);
    next.clear();
    next.resize(n + 1, n);
    edge.clear();
    edge.resize(n + 1, Edge::Word);
    cost[n] = 0;

    // The nearest node to the right of `i` where a word or a lone cluster starts, or the end.
    let mut next_start = n;
    for i in (0..n).rev() {
        if !brk[i] {
            continue;
        }
        let mut best = u64::MAX;
        let mut best_end = n;
        let mut best_edge = Edge::Word;
        let mut state = ROOT;
        let mut k = i;
        while k < n {
            match trie.next(state, codes[k]) {
                Some(s) => state = s,
                None => break,
            }
            k += 1;
            let whole = i == 0 && k == n && mode == Mode::Parts;
            if brk[k] && trie.is_word(state) && !whole {
                let c = cost[k] + WORD;
                // `<`: of equally cheap paths, the one with the shorter first word wins.
                if c < best {
                    best = c;
                    best_end = k;
                }
            }
        }
        let starts_word = best != u64::MAX;
        let alone = tcc::is_alone(codes[i]);
        if alone {
            let c = cost[i + 1] + WORD;
            if c < best {
                best = c;
                best_end = i + 1;
                best_edge = Edge::Alone;
            }
        } else {
            let j = next_start;
            let c = cost[j] + (j - i) as u64 * UNKNOWN_CHAR + WORD;
            if c < best {
                best = c;
                best_end = j;
                best_edge = Edge::Unknown;
            }
        }
        cost[i] = best;
        next[i] = best_end;
        edge[i] = best_edge;
        if starts_word || alone {
            next_start = i;
        }
    }

    let mut i = 0;
    let mut byte = start;
    let mut previous_unknown = false;
    let mut all_words = true;
    while i < n {
        let j = next[i];
        let len: usize = codes[i..j]
            .iter()
            .map(|&c| if c == DOT { 1 } else { 3 })
            .sum();
        let unknown = edge[i] == Edge::Unknown;
        all_words &= edge[i] == Edge::Word;
        match out.last_mut() {
            Some(last) if unknown && previous_unknown => last.1 = byte + len,
            _ => out.push((byte, byte + len)),
        }
        previous_unknown = unknown;
        byte += len;
        i = j;
    }
    all_words
}
