// One file runs at a time beside real servers (and, on a developer's machine, whatever else runs):
// jest's 5 s default is too short on a loaded two-core machine even for the workbook specs, and the
// shared PostgreSQL and Temporal make it shorter still. Jest reads `testTimeout` from the global
// config only, so every project sets it here.
jest.setTimeout(30_000);
