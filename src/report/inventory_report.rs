//! `pdscout report`: the inventory report in each format. The table is for
//! a terminal, the HTML page for the DPO's file (self-contained, readable
//! printed), CSV one row per listed file, JSON the whole structure.

use super::printer::csv::row;
use super::printer::html::{esc, kinds_fr, provenance, run_status_fr, STYLE};
use super::printer::human_bytes;
use crate::inventory::{FileRow, InventoryReport, RunRow, ShardSet};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Html,
    Csv,
    Json,
}

/// Writes `r` in `format`.
pub fn write_report(
    r: &InventoryReport,
    format: ReportFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Table => table(r, out),
        ReportFormat::Html => html(r, out),
        ReportFormat::Csv => csv(r, out),
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, r)?;
            writeln!(out)
        }
    }?;
    out.flush()
}

fn kinds_text(k: &BTreeMap<String, u64>) -> String {
    k.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn run_text(r: &RunRow) -> String {
    format!(
        "run {} started {} ({}): {} read, {} unchanged, {} removed",
        r.id, r.started, r.status, r.files_read, r.files_unchanged, r.files_removed
    )
}

/// A sharded sweep's state: `nas-siege, generation 2026-12-06: 2/3 shards
/// finished, missing 3`.
fn shards_text(g: &ShardSet) -> String {
    let missing: Vec<String> = g.missing.iter().map(u32::to_string).collect();
    format!(
        "{}, generation {}: {}/{} shards finished{}",
        g.source,
        g.generation,
        g.finished.len(),
        g.shards,
        if g.complete {
            " (complete)".to_string()
        } else {
            format!(", missing {}", missing.join(", "))
        }
    )
}

/// The sections listing files: (title, total, rows).
fn sections(r: &InventoryReport) -> Vec<(&'static str, u64, Vec<&FileRow>)> {
    vec![
        (
            "Files richest in NIR, IBAN and card numbers",
            r.sensitive.len() as u64,
            r.sensitive.iter().collect(),
        ),
        (
            "New files with personal data (last run)",
            r.new_total,
            r.new_files.iter().collect(),
        ),
        (
            "Removed files that held personal data (last run)",
            r.removed_total,
            r.removed.iter().collect(),
        ),
        (
            "Files not fully read",
            r.not_covered_total,
            r.not_covered.iter().collect(),
        ),
    ]
}

fn table(r: &InventoryReport, o: &mut dyn Write) -> io::Result<()> {
    writeln!(o, "Inventory {} (schema {})", r.db, r.schema_version)?;
    match &r.last_run {
        Some(run) => writeln!(o, "Last {}", run_text(run))?,
        None => writeln!(o, "No run yet.")?,
    }
    if let Some(run) = &r.previous_run {
        writeln!(o, "Previous {}", run_text(run))?;
    }
    for g in &r.generations {
        writeln!(o, "Sharded sweep {}", shards_text(g))?;
    }
    if !r.sources.is_empty() {
        writeln!(
            o,
            "\n{:<24} {:>10} {:>12} {:>10}",
            "source", "files", "with data", "findings"
        )?;
        for s in &r.sources {
            writeln!(
                o,
                "{:<24} {:>10} {:>12} {:>10}",
                s.source, s.files, s.files_with_findings, s.findings
            )?;
        }
    }
    writeln!(
        o,
        "\n{} files present, {} with personal data; {} changed and {} new with personal data since the previous run, {} removed.",
        r.files, r.files_with_findings, r.changed_total, r.new_total, r.removed_total
    )?;
    writeln!(o, "\n{:<12} {:>10} {:>8}", "kind", "findings", "files")?;
    for k in &r.kinds {
        writeln!(o, "{:<12} {:>10} {:>8}", k.kind, k.findings, k.files)?;
    }
    writeln!(o, "\nBy top-level folder:")?;
    for f in &r.folders {
        writeln!(
            o,
            "  {}  {}: {}",
            f.shown(),
            crate::report::printer::plural(f.files, "file", "files"),
            kinds_text(&f.findings)
        )?;
    }
    for (title, total, rows) in sections(r) {
        if rows.is_empty() {
            continue;
        }
        writeln!(o, "\n{title} ({total}):")?;
        for f in rows {
            write!(o, "  {}  [{}]", f.path, kinds_text(&f.findings))?;
            if let Some(n) = &f.note {
                write!(o, "  {n}")?;
            }
            writeln!(o)?;
        }
    }
    if !r.retention.is_empty() {
        writeln!(o, "\nPast retention ({}):", r.retention_total)?;
        for t in &r.retention {
            writeln!(
                o,
                "  {}  modified {} ({} days; rule {} = {}{})  [{}]",
                t.file.path,
                t.file.modified.as_deref().unwrap_or("?"),
                t.age_days,
                t.rule,
                t.keep,
                t.purpose
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default(),
                kinds_text(&t.file.findings)
            )?;
        }
    }
    Ok(())
}

fn csv(r: &InventoryReport, o: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    row(
        &[
            "section", "path", "format", "bytes", "modified", "findings", "note", "rule", "keep",
            "purpose", "age_days",
        ],
        &mut buf,
    );
    let names = ["sensitive", "new", "removed", "not_covered"];
    for ((_, _, rows), name) in sections(r).into_iter().zip(names) {
        for f in rows {
            let mut fields = file_fields(name, f);
            fields.extend([String::new(), String::new(), String::new(), String::new()]);
            row(&fields, &mut buf);
        }
    }
    for t in &r.retention {
        let mut fields = file_fields("retention", &t.file);
        fields.extend([
            t.rule.clone(),
            t.keep.clone(),
            t.purpose.clone().unwrap_or_default(),
            t.age_days.to_string(),
        ]);
        row(&fields, &mut buf);
    }
    o.write_all(&buf)
}

fn file_fields(section: &str, f: &FileRow) -> Vec<String> {
    vec![
        section.to_string(),
        f.path.clone(),
        f.format.clone().unwrap_or_default(),
        f.bytes.map(|b| b.to_string()).unwrap_or_default(),
        f.modified.clone().unwrap_or_default(),
        kinds_text(&f.findings),
        f.note.clone().unwrap_or_default(),
    ]
}

fn html(r: &InventoryReport, o: &mut dyn Write) -> io::Result<()> {
    write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <title>pdscout — inventaire</title><style>{STYLE}</style></head><body>\n\
         <h1>Registre : inventaire des données personnelles</h1>\n{provenance}\
         <p>Inventaire <b>{db}</b>, état au {gen}. {files} fichiers présents, \
         {with} contenant des données personnelles. Aucune valeur en clair n'est conservée \
         dans l'inventaire.</p>\n",
        db = esc(&r.db),
        provenance = provenance(r.last_run.as_ref().map_or(&[][..], |run| &run.roots)),
        gen = esc(&r.generated),
        files = r.files,
        with = r.files_with_findings,
    )?;
    writeln!(o, "<h2>Passages</h2><table><tr><th>passage</th><th>début</th><th>état</th><th>lus</th><th>inchangés</th><th>disparus</th></tr>")?;
    for run in r.last_run.iter().chain(&r.previous_run) {
        writeln!(
            o,
            "<tr><td class=n>{}</td><td class=d>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            run.id,
            esc(&run.started),
            esc(run_status_fr(&run.status)),
            run.files_read,
            run.files_unchanged,
            run.files_removed
        )?;
    }
    writeln!(o, "</table>")?;
    if !r.generations.is_empty() {
        writeln!(o, "<h2>Balayages répartis</h2><ul>")?;
        for g in &r.generations {
            writeln!(o, "<li>{}</li>", esc(&shards_text(g)))?;
        }
        writeln!(o, "</ul>")?;
    }
    if !r.sources.is_empty() {
        writeln!(o, "<h2>Par source</h2><table><tr><th>source</th><th>fichiers</th><th>avec données</th><th>éléments</th></tr>")?;
        for s in &r.sources {
            writeln!(
                o,
                "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                esc(&s.source),
                s.files,
                s.files_with_findings,
                s.findings
            )?;
        }
        writeln!(o, "</table>")?;
    }
    writeln!(o, "<h2>Par type de donnée</h2><table><tr><th>type</th><th>éléments</th><th>fichiers</th></tr>")?;
    for k in &r.kinds {
        writeln!(
            o,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            esc(&crate::model::kind::label(&k.kind)),
            k.findings,
            k.files
        )?;
    }
    writeln!(o, "</table>")?;
    writeln!(
        o,
        "<h2>Par dossier</h2><table><tr><th>dossier</th><th>fichiers</th><th>éléments</th></tr>"
    )?;
    for f in &r.folders {
        writeln!(
            o,
            "<tr><td>{}</td><td class=n>{}</td><td>{}</td></tr>",
            esc(&f.shown()),
            f.files,
            esc(&kinds_fr(&f.findings))
        )?;
    }
    writeln!(o, "</table>")?;
    let titles = [
        "Fichiers les plus sensibles (NIR, IBAN, cartes)",
        "Nouveaux fichiers avec données personnelles (dernier passage)",
        "Fichiers disparus qui contenaient des données personnelles (dernier passage)",
        "Fichiers non entièrement lus (erreur, chiffré, sans texte, limites)",
    ];
    for ((_, total, rows), title) in sections(r).into_iter().zip(titles) {
        writeln!(o, "<h2>{title} : {total}</h2>")?;
        if rows.is_empty() {
            writeln!(o, "<p>Aucun.</p>")?;
            continue;
        }
        writeln!(o, "<table><tr><th>fichier</th><th>modifié</th><th>taille</th><th>données</th><th>remarque</th></tr>")?;
        for f in rows {
            writeln!(
                o,
                "<tr><td>{}</td><td class=d>{}</td><td class=n>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.path),
                esc(f.modified.as_deref().unwrap_or("")),
                f.bytes.map(human_bytes).unwrap_or_default(),
                esc(&kinds_fr(&f.findings)),
                esc(f.note.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(o, "</table>")?;
    }
    writeln!(
        o,
        "<h2>Durée de conservation dépassée : {}</h2>",
        r.retention_total
    )?;
    if r.retention.is_empty() {
        writeln!(
            o,
            "<p>Aucun fichier (ou aucune règle de conservation donnée).</p>"
        )?;
    } else {
        writeln!(o, "<table><tr><th>fichier</th><th>modifié</th><th>âge (jours)</th><th>règle</th><th>durée</th><th>finalité</th><th>données</th></tr>")?;
        for t in &r.retention {
            writeln!(
                o,
                "<tr><td>{}</td><td class=d>{}</td><td class=n>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&t.file.path),
                esc(t.file.modified.as_deref().unwrap_or("")),
                t.age_days,
                esc(&t.rule),
                esc(&t.keep),
                esc(t.purpose.as_deref().unwrap_or("")),
                esc(&kinds_fr(&t.file.findings))
            )?;
        }
        writeln!(o, "</table>")?;
    }
    writeln!(o, "</body></html>")
}
