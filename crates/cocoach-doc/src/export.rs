//! Markdown export: the whole partnership, readable without the app.

use std::fmt::Write;

use crate::model::{ActionStatus, Partnership};
use crate::types::Slot;
use cocoach_i18n::{Lang, Tr};

fn sig_line(tr: &Tr, p: &Partnership, slot: Slot) -> String {
    format!("{}: {}", p.name(slot), p.signature_text(tr, slot))
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { "—" } else { s }
}

fn block(out: &mut String, title: &str, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    let _ = writeln!(out, "**{title}**\n");
    for line in text.lines() {
        let _ = writeln!(out, "> {line}");
    }
    out.push('\n');
}

/// Render the partnership as Markdown, in English. Deterministic: the same document
/// gives the same bytes.
pub fn markdown(p: &Partnership) -> String {
    markdown_in(&Tr::get(Lang::En), p)
}

/// Render the partnership as Markdown in the reader's language.
pub fn markdown_in(tr: &Tr, p: &Partnership) -> String {
    let mut o = String::new();
    let a = p.name(Slot::A);
    let b = p.name(Slot::B);
    let _ = writeln!(o, "# Co-coaching partnership: {a} & {b}\n");
    let _ = writeln!(o, "Partnership id: `{}`\n", p.id);

    let c = &p.contract;
    let _ = writeln!(o, "## Contract\n");
    let (agreement, _) = p.agreement_text(tr, None);
    let _ = writeln!(
        o,
        "Status: **{agreement}** ({}; {})\n",
        sig_line(tr, p, Slot::A),
        sig_line(tr, p, Slot::B)
    );
    let _ = writeln!(
        o,
        "- How often: {}",
        c.frequency.as_ref().map_or("—", |f| f.as_str())
    );
    let _ = writeln!(o, "- Where: {}", or_dash(&c.place));
    let _ = writeln!(
        o,
        "- Session length: {}",
        c.session_minutes
            .map_or("—".into(), |m| format!("{m} minutes"))
    );
    let term = [
        c.term.start.map(|d| format!("from {d}")),
        c.term.end.map(|d| format!("until {d}")),
        c.term.sessions.map(|n| format!("{n} sessions")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let _ = writeln!(o, "- Term: {}", or_dash(&term));
    let _ = writeln!(
        o,
        "- Coaches first: {} ({})",
        p.name(c.coaches_first),
        match c.turns {
            crate::model::Turns::Alternate => "then alternating",
            crate::model::Turns::Same => "every time",
        }
    );
    let _ = writeln!(o, "- Question style: {}", or_dash(&c.question_style));
    let _ = writeln!(o, "\nGround rules:\n");
    for r in &c.ground_rules {
        let _ = writeln!(o, "1. {r}");
    }
    if !c.off_limits.is_empty() {
        let _ = writeln!(o, "\nOff limits:\n");
        for t in &c.off_limits {
            let _ = writeln!(o, "- {} ({})", t.topic, p.name(t.by));
        }
    }
    o.push('\n');

    let _ = writeln!(o, "## Sessions\n");
    if p.sessions.is_empty() {
        let _ = writeln!(o, "No sessions yet.\n");
    }
    for s in &p.sessions {
        let date = s.date.map_or("undated".into(), |d| d.to_string());
        let _ = writeln!(o, "### Session {date} (`{}`)\n", s.id);
        let _ = writeln!(
            o,
            "Where: {} · Planned: {} · {} coaches first{}\n",
            or_dash(&s.place),
            s.planned_minutes.map_or("—".into(), |m| format!("{m} min")),
            p.name(s.coached_first),
            if s.closed_at_ms.is_some() {
                " · closed"
            } else {
                ""
            }
        );
        if !s.skip_reason.trim().is_empty() {
            let _ = writeln!(o, "Closed without actions for both: {}\n", s.skip_reason);
        }
        let first = s.coached_first.other();
        for coachee in [first, first.other()] {
            let h = s.half(coachee);
            let _ = writeln!(
                o,
                "#### {} coached by {}\n",
                p.name(coachee),
                p.name(coachee.other())
            );
            block(&mut o, "Review", &h.review);
            for (action, outcome) in &h.reviewed {
                let what = p
                    .action(action)
                    .map_or(action.as_str(), |a| a.what.as_str());
                let _ = writeln!(o, "- Reviewed \"{what}\": {outcome}");
            }
            if !h.reviewed.is_empty() {
                o.push('\n');
            }
            block(&mut o, "Goal", &h.goal);
            block(&mut o, "Reality", &h.reality);
            if !h.options.is_empty() {
                let _ = writeln!(o, "**Options**\n");
                for opt in &h.options {
                    let _ = writeln!(o, "- {}", opt.replace('\n', " "));
                }
                o.push('\n');
            }
            block(&mut o, "Will", &h.will);
            block(&mut o, "Notes", &h.notes);
            if !h.declined_at_ms.is_empty() {
                let _ = writeln!(
                    o,
                    "_Declined a topic {} time(s)._\n",
                    h.declined_at_ms.len()
                );
            }
        }
    }

    let _ = writeln!(o, "## Actions\n");
    if p.actions.is_empty() {
        let _ = writeln!(o, "No actions yet.\n");
    }
    for slot in Slot::BOTH {
        let mine: Vec<_> = p.actions.iter().filter(|a| a.owner == slot).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(o, "### {}\n", p.name(slot));
        for a in mine {
            let mark = match a.status {
                ActionStatus::Open => "[ ]",
                ActionStatus::Done => "[x]",
                ActionStatus::Dropped => "[-]",
            };
            let _ = write!(o, "- {mark} {}", a.what.replace('\n', " "));
            if let Some(d) = a.deadline {
                let _ = write!(o, " — due {d}");
            }
            if let Some(d) = a.done_on {
                let _ = write!(o, " — done {d}");
            }
            if a.status == ActionStatus::Dropped {
                o.push_str(" — dropped");
            }
            let _ = writeln!(o, " (`{}`)", a.id);
            if !a.obstacles.is_empty() {
                let _ = writeln!(o, "  - Obstacles: {}", a.obstacles.join("; "));
            }
            if !a.celebration.trim().is_empty() {
                let _ = writeln!(o, "  - Celebrated: {}", a.celebration.replace('\n', " "));
            }
        }
        o.push('\n');
    }
    o
}
