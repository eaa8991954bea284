//! The memory of a detector's barren units: short units (table cells)
//! already searched with nothing found, so that a repeated one is not
//! searched again.

use crate::model::Unit;

/// Short units already searched in vain, with their column kind. A unit's
/// findings depend on nothing but its text, its report range and its column
/// kind, so a repeated one (a table's journal codes, account labels, dates
/// and statuses: 40 % of the cells of an accounting export) need not be
/// searched again. Only units with nothing found are kept: a value found
/// again is reported again, with its own location.
///
/// An open-addressing table over one text arena: remembering a unit costs
/// no allocation, and forgetting them all is one clear.
#[derive(Default)]
pub struct Barren {
    /// Index + 1 into `entries`, 0 for a free slot; [`Barren::SLOTS`] long.
    slots: Vec<u32>,
    /// (hash, start in `arena`, length, column kind's index in `kinds`).
    entries: Vec<(u64, u32, u8, u8)>,
    arena: String,
    /// The column kinds seen (`None`: no column), a handful.
    kinds: Vec<Option<Box<str>>>,
}

impl Barren {
    /// Longest unit remembered: table cells, not paragraphs.
    const MAX_LEN: usize = 64;
    /// Units remembered at most (forgotten all at once), half the slots.
    const MAX_UNITS: usize = 4096;
    const SLOTS: usize = 2 * Self::MAX_UNITS;
    /// Column kinds told apart at most (more: not remembered).
    const MAX_KINDS: usize = 64;

    /// Whether `unit` is worth remembering: short and searched whole.
    pub fn fits(unit: &Unit<'_>) -> bool {
        unit.text.len() <= Self::MAX_LEN && unit.report == (0..unit.text.len())
    }

    fn hash(unit: &Unit<'_>) -> u64 {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(unit.text.as_bytes());
        h.write_usize(unit.column_kind.map_or(0, str::len));
        h.finish()
    }

    fn kind_index(&self, kind: Option<&str>) -> Option<usize> {
        self.kinds.iter().position(|k| k.as_deref() == kind)
    }

    /// The slot holding `text` of column kind `kind`, or the free slot
    /// where it would go.
    fn slot(&self, text: &str, hash: u64, kind: usize) -> usize {
        let mask = Self::SLOTS - 1;
        let mut i = (hash as usize) & mask;
        loop {
            let e = self.slots[i];
            if e == 0 {
                return i;
            }
            let (h, start, len, k) = self.entries[e as usize - 1];
            if h == hash
                && usize::from(k) == kind
                && &self.arena[start as usize..start as usize + usize::from(len)] == text
            {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether `unit` was searched in vain before; if not, where it is to
    /// be remembered ([`Barren::remember`]) should its search find nothing.
    pub fn probe(&mut self, unit: &Unit<'_>) -> Probe {
        let kind = match self.kind_index(unit.column_kind) {
            Some(k) => k,
            None if self.kinds.len() < Self::MAX_KINDS => {
                self.kinds.push(unit.column_kind.map(Into::into));
                self.kinds.len() - 1
            }
            None => return Probe::Unkept,
        };
        if self.slots.is_empty() {
            self.slots = vec![0; Self::SLOTS];
        }
        let hash = Self::hash(unit);
        let slot = self.slot(unit.text, hash, kind);
        if self.slots[slot] != 0 {
            return Probe::Known;
        }
        Probe::New { hash, slot, kind }
    }

    /// Remembers `unit`, searched in vain, where [`Barren::probe`] said.
    pub fn remember(&mut self, unit: &Unit<'_>, probe: Probe) {
        let Probe::New {
            hash,
            mut slot,
            kind,
        } = probe
        else {
            return;
        };
        if self.entries.len() >= Self::MAX_UNITS {
            self.slots.fill(0);
            self.entries.clear();
            self.arena.clear();
            slot = self.slot(unit.text, hash, kind);
        }
        self.entries.push((
            hash,
            self.arena.len() as u32,
            unit.text.len() as u8,
            kind as u8,
        ));
        self.arena.push_str(unit.text);
        self.slots[slot] = self.entries.len() as u32;
    }
}

/// What [`Barren::probe`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// Searched in vain before.
    Known,
    /// Not yet: its hash, free slot and column kind's index.
    New { hash: u64, slot: usize, kind: usize },
    /// Too many column kinds to remember it.
    Unkept,
}
