//! The closed world Typst compiles in: the fixed template, one document's JSON, embedded fonts.
//!
//! Typst asks its `World` for every file, font and the date. This one answers with the template
//! (`template.typ`, the main file), the document as `/doc.json`, and the four Sarabun faces
//! embedded in the binary; every other file is "not found", there are no system fonts and no
//! date, so the same document always typesets the same way. The font book and the standard
//! library are built once per process ([`ENGINE`]); a render only adds its JSON.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template every document is typeset with.
const TEMPLATE: &str = include_str!("template.typ");

/// Sarabun (SIL OFL 1.1), regular, bold and their italics; see NOTICE.
const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/Sarabun_400Regular.ttf"),
    include_bytes!("../fonts/Sarabun_700Bold.ttf"),
    include_bytes!("../fonts/Sarabun_400Regular_Italic.ttf"),
    include_bytes!("../fonts/Sarabun_700Bold_Italic.ttf"),
];

/// What every render shares: parsed fonts, their book, the standard library, the template.
struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data: FileId,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Engine {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        main: Source::new(file_id("/template.typ"), TEMPLATE.to_owned()),
        data: file_id("/doc.json"),
        fonts,
    }
});

/// The interned id of a file at the project root.
fn file_id(path: &str) -> FileId {
    // Only called with this module's constant paths, which are valid.
    let vpath = VirtualPath::new(path).expect("a constant, valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Parses the fonts and builds the library now rather than on the first render.
pub(crate) fn warm_up() {
    LazyLock::force(&ENGINE);
}

/// One render's world: the shared engine plus this document's JSON.
pub(crate) struct DocWorld {
    data: Bytes,
}

impl DocWorld {
    /// A world in which `/doc.json` holds `json`.
    pub(crate) fn new(json: Vec<u8>) -> Self {
        Self {
            data: Bytes::new(json),
        }
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &ENGINE.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &ENGINE.book
    }

    fn main(&self) -> FileId {
        ENGINE.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == ENGINE.main.id() {
            Ok(ENGINE.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == ENGINE.data {
            Ok(self.data.clone())
        } else if id == ENGINE.main.id() {
            Ok(Bytes::from_string(ENGINE.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        ENGINE.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
