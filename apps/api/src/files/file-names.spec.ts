import { attachmentDisposition } from './files.service';
import { cleanFileName } from './receive-upload';

describe('attachmentDisposition', () => {
  it('gives old clients an ASCII name and the rest the UTF-8 one, percent-encoded by RFC 5987', () => {
    expect(attachmentDisposition('施工合同.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''%E6%96%BD%E5%B7%A5%E5%90%88%E5%90%8C.pdf`,
    );
  });

  it('cannot be broken out of: quotes, backslashes and the characters RFC 5987 excludes are encoded', () => {
    expect(attachmentDisposition(`a"b\\c'd(e)*.pdf`)).toBe(
      `attachment; filename="a_b_c'd(e)*.pdf"; filename*=UTF-8''a%22b%5Cc%27d%28e%29%2A.pdf`,
    );
  });
});

describe('cleanFileName', () => {
  it('keeps the last segment of a path a client sends, without control characters', () => {
    expect(cleanFileName('C:\\Users\\张三\\桌面\\营业执照.jpg')).toBe('营业执照.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('合同\r\n.pdf')).toBe('合同.pdf');
  });

  it('names a file that came without a name', () => {
    expect(cleanFileName(undefined)).toBe('file');
    expect(cleanFileName('   ')).toBe('file');
    expect(cleanFileName('dir/')).toBe('file');
  });

  it('keeps at most 255 characters', () => {
    expect(cleanFileName('长'.repeat(300) + '.pdf')).toHaveLength(255);
  });
});
