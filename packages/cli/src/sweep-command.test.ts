import { describe, expect, it } from 'vitest';
import { sweepCommand } from './sweep-command';

describe('sweepCommand', () => {
  it('hands the arguments to sweepCli and resolves to its exit code', async () => {
    const seen: string[][] = [];
    const code = await sweepCommand(['sweeps/gru.json', '--repeats', '3'], async () => ({
      sweepCli: async (argv: string[]) => {
        seen.push(argv);
        return 3;
      },
    }));
    expect(code).toBe(3);
    expect(seen).toEqual([['sweeps/gru.json', '--repeats', '3']]);
  });

  it('throws NOT_INSTALLED naming the package when @seqlearn/sweep cannot be found', async () => {
    const missing = Object.assign(new Error("Cannot find package '@seqlearn/sweep'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(
      sweepCommand([], async () => {
        throw missing;
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'NOT_INSTALLED',
        message: expect.stringContaining('npm i @seqlearn/sweep'),
      }),
    );
  });

  it('throws NOT_INSTALLED when the installed @seqlearn/sweep has no sweepCli', async () => {
    await expect(sweepCommand([], async () => ({}))).rejects.toThrow(
      expect.objectContaining({ code: 'NOT_INSTALLED' }),
    );
  });

  it('lets other errors of the import through', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(
      sweepCommand([], async () => {
        throw broken;
      }),
    ).rejects.toBe(broken);
  });
});
