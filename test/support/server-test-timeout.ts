// Real servers shared by every file of the run: jest's 5 s default is too short on a loaded machine.
// Jest reads `testTimeout` from the global config only, so the integration and e2e projects set it here.
jest.setTimeout(30_000);
