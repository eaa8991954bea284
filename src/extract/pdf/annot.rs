//! Annotations of a page: the appearance streams drawn on it (filled form
//! fields, stamps, free text: what poppler's `pdftotext` shows) and the text
//! kept only in their dictionaries (comments' `/Contents`, a field's value
//! `/V` when it has no appearance).

use lopdf::{decode_text_string, Dictionary, Document, Object, ObjectId, Stream};

/// Annotations read per page, at most.
const MAX_ANNOTS: usize = 4096;
/// Field parents followed for an inherited value, at most.
const MAX_PARENTS: usize = 32;
/// Annotation flag: hidden.
const HIDDEN: i64 = 2;

/// What one annotation gives.
pub(super) struct Annot<'d> {
    /// Its normal appearance (a form XObject) and where its lower-left corner
    /// goes on the page.
    pub(super) appearance: Option<(ObjectId, &'d Stream, (f64, f64))>,
    /// Text not drawn by the appearance.
    pub(super) text: Option<String>,
}

/// The annotations of the page `page`.
pub(super) fn annotations<'d>(doc: &'d Document, page: &'d Dictionary) -> Vec<Annot<'d>> {
    let Ok(list) = page.get_deref(b"Annots", doc).and_then(Object::as_array) else {
        return Vec::new();
    };
    let stale = need_appearances(doc);
    list.iter()
        .take(MAX_ANNOTS)
        .filter_map(|o| doc.dereference(o).ok()?.1.as_dict().ok())
        .filter_map(|a| read(doc, a, stale))
        .collect()
}

/// The form says its fields' appearances are to be made again from their
/// values (`/NeedAppearances true`): a viewer, and poppler, show the values.
fn need_appearances(doc: &Document) -> bool {
    doc.catalog()
        .and_then(|c| c.get_deref(b"AcroForm", doc))
        .and_then(Object::as_dict)
        .and_then(|f| f.get_deref(b"NeedAppearances", doc))
        .and_then(Object::as_bool)
        .unwrap_or(false)
}

/// `stale`: text and choice fields show their value, not their appearance.
fn read<'d>(doc: &'d Document, a: &'d Dictionary, stale: bool) -> Option<Annot<'d>> {
    let subtype = a.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
    if subtype == b"Popup" || subtype == b"Link" {
        return None; // a popup repeats its parent's text; links have none
    }
    let flags = a.get(b"F").and_then(Object::as_i64).unwrap_or(0);
    let value = (subtype == b"Widget")
        .then(|| field_value(doc, a))
        .flatten();
    let remade = stale && value.is_some() && matches!(field_type(doc, a), Some(b"Tx" | b"Ch"));
    let appearance = (flags & HIDDEN == 0 && !remade)
        .then(|| appearance(doc, a))
        .flatten()
        .map(|(id, s)| (id, s, corner(a)));
    let text = if subtype == b"Widget" {
        // A field's value shows through its appearance when it has one.
        value.filter(|_| appearance.is_none())
    } else {
        a.get_deref(b"Contents", doc)
            .ok()
            .and_then(|c| decode_text_string(c).ok())
    };
    let text = text.filter(|t| !t.trim().is_empty());
    (appearance.is_some() || text.is_some()).then_some(Annot { appearance, text })
}

/// The normal appearance stream (for the current state `/AS` when there
/// are several).
fn appearance<'d>(doc: &'d Document, a: &'d Dictionary) -> Option<(ObjectId, &'d Stream)> {
    let n = a
        .get_deref(b"AP", doc)
        .and_then(Object::as_dict)
        .ok()?
        .get(b"N")
        .ok()?;
    let (id, obj) = doc.dereference(n).ok()?;
    let (id, s) = match obj {
        Object::Stream(s) => (id?, s),
        Object::Dictionary(states) => {
            let state = a.get(b"AS").and_then(Object::as_name).ok()?;
            match doc.dereference(states.get(state).ok()?).ok()? {
                (Some(id), Object::Stream(s)) => (id, s),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some((id, s))
}

/// The lower-left corner of the annotation's rectangle.
fn corner(a: &Dictionary) -> (f64, f64) {
    let v: Vec<f64> = a
        .get(b"Rect")
        .and_then(Object::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|o| o.as_float().ok())
                .map(f64::from)
                .collect()
        })
        .unwrap_or_default();
    match v[..] {
        [x1, y1, x2, y2] => (x1.min(x2), y1.min(y2)),
        _ => (0.0, 0.0),
    }
}

/// A form field's type (`/FT`, inherited from its parent fields).
fn field_type<'d>(doc: &'d Document, mut field: &'d Dictionary) -> Option<&'d [u8]> {
    for _ in 0..MAX_PARENTS {
        if let Ok(t) = field.get(b"FT").and_then(Object::as_name) {
            return Some(t);
        }
        field = field
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

/// A form field's value (`/V`, inherited from its parent fields): text, or
/// the names of chosen options.
fn field_value<'d>(doc: &'d Document, mut field: &'d Dictionary) -> Option<String> {
    for _ in 0..MAX_PARENTS {
        if let Ok(v) = field.get_deref(b"V", doc) {
            return match v {
                Object::String(..) => decode_text_string(v).ok(),
                Object::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(|i| decode_text_string(i).ok())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => None,
            };
        }
        field = field
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}
