//! Person matching: Thai name normalisation, a phonetic key, RTGS romanisation, and a
//! similarity over whole persons with the reasons behind it. Used to find a person already on
//! record before registering them again.

mod normalize;
mod phonetic;
mod romanize;
mod score;
mod syllable;

pub use normalize::{is_thai, normalize_keeping_silent, normalize_name};
pub use phonetic::phonetic_key;
pub use romanize::{latin_key, romanize, romanize_readings, skeleton};
pub use score::{
    compare_names, compare_persons, match_keys, sound_key, sound_keys, Match, MatchPerson, NameHow,
    Reason, THRESHOLD,
};

#[cfg(test)]
mod tests;
