//! Integration tests of cocoach live in `tests/`; `src/bin/` holds helper programs
//! they drive (the crash writer).
