import { ensureChromium, launchBrowser } from '../support/browser';

// A browser test must fail, not skip, when Chromium is not there: it installs first, then throws.
describe('ensureChromium', () => {
  it('installs once when Chromium does not run, then fails naming the path', () => {
    let installs = 0;
    expect(() =>
      ensureChromium('/nonexistent/chromium', () => {
        installs++;
      }),
    ).toThrow(/Chromium at \/nonexistent\/chromium does not run after scripts\/install-tools\.sh/);
    expect(installs).toBe(1);
  });

  it('does not install when the executable answers --version', () => {
    let installs = 0;
    ensureChromium(process.execPath, () => {
      installs++;
    });
    expect(installs).toBe(0);
  });
});

describe('launchBrowser', () => {
  it('installs once when the executable answers --version but does not start as Chromium, then fails naming the path', async () => {
    let installs = 0;
    await expect(
      launchBrowser(process.execPath, () => {
        installs++;
      }),
    ).rejects.toThrow(`Chromium at ${process.execPath} does not start after scripts/install-tools.sh`);
    expect(installs).toBe(1);
  });
});
