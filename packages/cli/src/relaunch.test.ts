import { describe, expect, it } from 'vitest';
import { expectedWorkers, relaunchFlags, wantsRelaunch } from './relaunch.js';

describe('wantsRelaunch', () => {
  it('relaunches the long scans (full history, images, logs) and nothing start-up bound', () => {
    const yes = (argv: string[]): boolean => wantsRelaunch(argv, {}, []);
    expect(yes(['git'])).toBe(true);
    expect(yes(['git', '../repo.git', '--branch', 'main'])).toBe(true);
    expect(yes(['-q', 'image', 'app.tar'])).toBe(true);
    expect(yes(['logs', '/var/log/app'])).toBe(true);
    expect(yes(['git', '--staged'])).toBe(false);
    expect(yes(['git', '--range', 'a..b'])).toBe(false);
    expect(yes(['git', '--range=a..b'])).toBe(false);
    expect(yes(['dir', '.'])).toBe(false);
    expect(yes(['stdin'])).toBe(false);
    expect(yes(['rules', 'list'])).toBe(false);
    expect(yes([])).toBe(false);
  });

  it('never relaunches twice, nor when the flag is already set', () => {
    expect(wantsRelaunch(['git'], { LEAKGUARD_RELAUNCHED: '1' }, [])).toBe(false);
    expect(wantsRelaunch(['git'], {}, ['--single-threaded-gc'])).toBe(false);
  });

  it('starts every relaunched scan with the GC flags and a larger interrupt budget; history and image scans with a small young generation, images with a larger old one', () => {
    const common = ['--single-threaded-gc', '--expose-gc', '--interrupt-budget=270336'];
    expect(relaunchFlags(['-q', 'image', 'app.tar'])).toEqual([...common, '--initial-old-space-size=64', '--max-semi-space-size=2']);
    expect(relaunchFlags(['git', '.'])).toEqual([...common, '--max-semi-space-size=2']);
    expect(relaunchFlags(['logs', 'app.log'])).toEqual(common);
  });

  it('guesses how many workers a relaunched scan starts first, from --jobs or the cores', () => {
    const child = { LEAKGUARD_RELAUNCHED: '1' };
    expect(expectedWorkers(['git', '.'], child, 2)).toBe(1); // git's processes keep a core busy
    expect(expectedWorkers(['git', '.', '--jobs', '4'], child, 2)).toBe(3);
    expect(expectedWorkers(['image', 'app.tar'], child, 2)).toBe(1); // its unpacking keeps this thread busy
    expect(expectedWorkers(['logs', 'app.log', '-j', '3'], child, 2)).toBe(3);
    expect(expectedWorkers(['logs', 'app.log', '--jobs=1'], child, 8)).toBe(0);
    expect(expectedWorkers(['git', '.', '--jobs', 'x'], child, 2)).toBe(1);
    expect(expectedWorkers(['dir', '.'], child, 2)).toBe(0);
    expect(expectedWorkers(['image', 'app.tar'], {}, 2)).toBe(0); // the parent, or a scan that was not relaunched
  });
});
