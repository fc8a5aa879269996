//! Shared helpers for the differential tests and reports.
