//! Markdown export: the whole partnership, readable without the app.

use std::fmt::Write;

use crate::model::{ActionStatus, Frequency, Partnership, ReviewOutcome};
use crate::types::Slot;
use cocoach_i18n::{Lang, Tr, tr};

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

/// The contract's rhythm in the reader's words (a rhythm of the partners' own
/// words stays as they wrote it).
fn frequency(tr: &Tr, f: &Frequency) -> String {
    match f {
        Frequency::Weekly => tr!(tr, "export-weekly"),
        Frequency::Fortnightly => tr!(tr, "export-fortnightly"),
        Frequency::Monthly => tr!(tr, "export-monthly"),
        Frequency::Other(s) => s.clone(),
    }
}

/// How a reviewed action went, in the reader's words.
fn outcome(tr: &Tr, o: &ReviewOutcome) -> String {
    match o {
        ReviewOutcome::Done => tr!(tr, "export-outcome-done"),
        ReviewOutcome::Partly => tr!(tr, "export-outcome-partly"),
        ReviewOutcome::NotDone => tr!(tr, "export-outcome-not-done"),
        ReviewOutcome::Other(s) => s.clone(),
    }
}

/// Render the partnership as Markdown, in English. Deterministic: the same document
/// gives the same bytes.
pub fn markdown(p: &Partnership) -> String {
    markdown_in(&Tr::get(Lang::En), p)
}

/// Render the partnership as Markdown in the reader's language. Dates other than
/// the signatures' stay YYYY-MM-DD, the way they are typed, in every language.
pub fn markdown_in(tr: &Tr, p: &Partnership) -> String {
    let mut o = String::new();
    let a = p.name(Slot::A);
    let b = p.name(Slot::B);
    let _ = writeln!(o, "# {}\n", tr!(tr, "export-title", a = a, b = b));
    let _ = writeln!(o, "{}\n", tr!(tr, "export-id", id = p.id.to_string()));

    let c = &p.contract;
    let _ = writeln!(o, "## {}\n", tr!(tr, "export-contract"));
    let (agreement, _) = p.agreement_text(tr, None);
    let _ = writeln!(
        o,
        "{}\n",
        tr!(
            tr,
            "export-status",
            agreement = agreement,
            a = sig_line(tr, p, Slot::A),
            b = sig_line(tr, p, Slot::B)
        )
    );
    let how_often = c
        .frequency
        .as_ref()
        .map_or_else(|| "—".to_string(), |f| frequency(tr, f));
    let _ = writeln!(o, "- {}", tr!(tr, "export-how-often", value = how_often));
    let _ = writeln!(
        o,
        "- {}",
        tr!(tr, "export-where", value = or_dash(&c.place))
    );
    let length = c
        .session_minutes
        .map_or("—".into(), |m| tr!(tr, "export-minutes", n = m));
    let _ = writeln!(o, "- {}", tr!(tr, "export-session-length", value = length));
    let time = c
        .meeting_time
        .map_or_else(|| tr!(tr, "calendar-by-agreement"), |t| t.to_string());
    let _ = writeln!(
        o,
        "- {}",
        tr!(tr, "calendar-export-meeting-time", value = time)
    );
    let term = [
        c.term
            .start
            .map(|d| tr!(tr, "export-term-from", date = d.to_string())),
        c.term
            .end
            .map(|d| tr!(tr, "export-term-until", date = d.to_string())),
        c.term
            .sessions
            .map(|n| tr!(tr, "export-term-sessions", n = n)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let _ = writeln!(o, "- {}", tr!(tr, "export-term", value = or_dash(&term)));
    let turns = match c.turns {
        crate::model::Turns::Alternate => tr!(tr, "export-turns-alternate"),
        crate::model::Turns::Same => tr!(tr, "export-turns-same"),
    };
    let _ = writeln!(
        o,
        "- {}",
        tr!(
            tr,
            "export-coaches-first",
            name = p.name(c.coaches_first),
            turns = turns
        )
    );
    let _ = writeln!(
        o,
        "- {}",
        tr!(
            tr,
            "export-question-style",
            value = or_dash(&c.question_style)
        )
    );
    let _ = writeln!(o, "\n{}\n", tr!(tr, "export-ground-rules"));
    for r in &c.ground_rules {
        let _ = writeln!(o, "1. {r}");
    }
    if !c.off_limits.is_empty() {
        let _ = writeln!(o, "\n{}\n", tr!(tr, "export-off-limits"));
        for t in &c.off_limits {
            let _ = writeln!(o, "- {} ({})", t.topic, p.name(t.by));
        }
    }
    o.push('\n');

    let _ = writeln!(o, "## {}\n", tr!(tr, "export-sessions"));
    if p.sessions.is_empty() {
        let _ = writeln!(o, "{}\n", tr!(tr, "export-no-sessions"));
    }
    for s in &p.sessions {
        let date = s
            .date
            .map_or_else(|| tr!(tr, "export-undated"), |d| d.to_string());
        let _ = writeln!(
            o,
            "### {}\n",
            tr!(tr, "export-session", date = date, id = s.id.to_string())
        );
        let planned = s
            .planned_minutes
            .map_or("—".into(), |m| tr!(tr, "export-min", n = m));
        let mut closed = if s.closed_at_ms.is_some() {
            format!(" · {}", tr!(tr, "export-closed"))
        } else {
            String::new()
        };
        if s.first_meeting {
            closed = format!(" · {}{closed}", tr!(tr, "export-first-meeting"));
        }
        let _ = writeln!(
            o,
            "{}{closed}\n",
            tr!(
                tr,
                "export-session-facts",
                place = or_dash(&s.place),
                planned = planned,
                name = p.name(s.coached_first)
            )
        );
        if !s.skip_reason.trim().is_empty() {
            let _ = writeln!(
                o,
                "{}\n",
                tr!(tr, "export-skip-reason", reason = s.skip_reason.as_str())
            );
        }
        let first = s.coached_first.other();
        for coachee in [first, first.other()] {
            let h = s.half(coachee);
            let _ = writeln!(
                o,
                "#### {}\n",
                tr!(
                    tr,
                    "export-coached-by",
                    coachee = p.name(coachee),
                    coach = p.name(coachee.other())
                )
            );
            block(&mut o, &tr!(tr, "export-review"), &h.review);
            for (action, result) in &h.reviewed {
                let what = p
                    .action(action)
                    .map_or(action.as_str(), |a| a.what.as_str());
                let _ = writeln!(
                    o,
                    "- {}",
                    tr!(
                        tr,
                        "export-reviewed",
                        what = what,
                        outcome = outcome(tr, result)
                    )
                );
            }
            if !h.reviewed.is_empty() {
                o.push('\n');
            }
            block(&mut o, &tr!(tr, "export-goal"), &h.goal);
            block(&mut o, &tr!(tr, "export-reality"), &h.reality);
            if !h.options.is_empty() {
                let _ = writeln!(o, "**{}**\n", tr!(tr, "export-options"));
                for opt in &h.options {
                    let _ = writeln!(o, "- {}", opt.replace('\n', " "));
                }
                o.push('\n');
            }
            block(&mut o, &tr!(tr, "export-will"), &h.will);
            block(&mut o, &tr!(tr, "export-notes"), &h.notes);
            if !h.declined_at_ms.is_empty() {
                let _ = writeln!(
                    o,
                    "_{}_\n",
                    tr!(tr, "export-declined", n = h.declined_at_ms.len())
                );
            }
        }
    }

    let _ = writeln!(o, "## {}\n", tr!(tr, "export-actions"));
    if p.actions.is_empty() {
        let _ = writeln!(o, "{}\n", tr!(tr, "export-no-actions"));
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
                let _ = write!(o, " — {}", tr!(tr, "export-due", date = d.to_string()));
            }
            if let Some(d) = a.done_on {
                let _ = write!(o, " — {}", tr!(tr, "export-done", date = d.to_string()));
            }
            if a.status == ActionStatus::Dropped {
                let _ = write!(o, " — {}", tr!(tr, "export-dropped"));
            }
            let _ = writeln!(o, " (`{}`)", a.id);
            if !a.obstacles.is_empty() {
                let _ = writeln!(
                    o,
                    "  - {}",
                    tr!(tr, "export-obstacles", list = a.obstacles.join("; "))
                );
            }
            if !a.celebration.trim().is_empty() {
                let _ = writeln!(
                    o,
                    "  - {}",
                    tr!(
                        tr,
                        "export-celebrated",
                        text = a.celebration.replace('\n', " ")
                    )
                );
            }
        }
        o.push('\n');
    }
    o
}
