#!/usr/bin/env python3
"""Verify the change signatures of a cocoach partnership without cocoach.

    python3 scripts/verify-signatures.py ~/.local/share/cocoach/partnership.sqlite3

Needs only Python's sqlite3 module and the `cryptography` package
(`pip install cryptography`). For every row of the `signatures` table it checks the
ed25519 signature over

    b"cocoach-change-signature-v1" + kind byte + partnership id (ASCII) + change hash

where the kind byte is 1 for 'author', 2 for 'migrated', 3 for 'vouched'. It also
lists change rows (not yet folded into a snapshot) that have no signature. Which
device a change names as author is inside the change bytes: an Automerge library
reads it (see docs/USER_GUIDE.md, "Checking the record without cocoach").
Exit status 1 if any signature is bad or any change row is unsigned.
"""
import sqlite3
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

DOMAIN = b"cocoach-change-signature-v1"
KINDS = {"author": 1, "migrated": 2, "vouched": 3}


def main(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    (pid,) = db.execute("SELECT value FROM meta WHERE key = 'partnership_id'").fetchone()
    good = bad = 0
    signed = set()
    for hash_, signer, kind, sig in db.execute(
        "SELECT hash, signer, kind, signature FROM signatures"
    ):
        message = DOMAIN + bytes([KINDS.get(kind, 0)]) + pid.encode() + hash_
        try:
            Ed25519PublicKey.from_public_bytes(signer).verify(sig, message)
            good += 1
            signed.add(hash_)
        except (InvalidSignature, ValueError):
            bad += 1
            print(f"bad signature: change {hash_.hex()} ({kind}) by {signer.hex()}")
    unsigned = [h for (h,) in db.execute("SELECT hash FROM changes") if h not in signed]
    for h in unsigned:
        print(f"unsigned change row: {h.hex()}")
    print(f"{good} good, {bad} bad, {len(unsigned)} unsigned change rows")
    return 1 if bad or unsigned else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
