//! Writes Ana's data directory as it is after Bo's device rolled their contract back
//! to an earlier co-signed version (the old terms with both old signatures copied
//! back, in a change Bo's device signed as its own), to look at the warning in the
//! window:
//!
//! `cargo run -p cocoach-tests --bin cocoach-fixture-rollback -- DIR` then
//! `cocoach --data-dir DIR/ana`.

use std::path::Path;

use anyhow::{Context, Result};
use cocoach_doc::{ContractField, Slot};
use cocoach_store::{DataDir, DeviceStore, PartnerRecord, PartnershipStore};
use cocoach_testkit::generate::{Pair, pair};
use cocoach_testkit::hostile::{contract_signature_bytes, roll_back_contract};

fn agree(p: &mut Pair, store: &mut PartnershipStore, place: &str) -> Result<()> {
    p.a.set_contract(ContractField::Place, place)?;
    p.a.sign_contract(&p.id_a)?;
    p.a.commit();
    store.save(&mut p.a)?;
    p.b.merge_from(&mut p.a)?;
    p.b.sign_contract(&p.id_b)?;
    p.b.commit();
    p.a.merge_from(&mut p.b)?;
    store.save(&mut p.a)?;
    Ok(())
}

fn main() -> Result<()> {
    let dir = std::env::args()
        .nth(1)
        .context("usage: cocoach-fixture-rollback DIR")?;
    let da = DataDir::new(Path::new(&dir).join("ana"));
    let mut p = pair(7)?;
    DeviceStore::create_with_identity(&da, &p.id_a)?.set_name("Ana Müller")?;
    let mut store = PartnershipStore::create(&da, &mut p.a)?;
    store.upsert_partner(&PartnerRecord {
        key: p.id_b.public(),
        name: "Bo Chen".into(),
        addresses: Vec::new(),
        paired_at_ms: Some(1),
        last_seen_ms: None,
    })?;
    agree(&mut p, &mut store, "Café Zürich")?;
    let old = [
        contract_signature_bytes(&p.b, Slot::A),
        contract_signature_bytes(&p.b, Slot::B),
    ];
    agree(&mut p, &mut store, "Online, Thursdays 19:00")?;
    roll_back_contract(&mut p.b, "Café Zürich", [&old[0], &old[1]])?;
    p.a.merge_from(&mut p.b)?;
    store.save(&mut p.a)?;
    let agreement =
        p.a.read()?
            .agreement_text(
                &cocoach_i18n::Tr::get(cocoach_i18n::Lang::En),
                Some(Slot::A),
            )
            .0;
    eprintln!("wrote {}: {agreement}", da.root().display());
    Ok(())
}
