//! API integration tests (filled in next).
