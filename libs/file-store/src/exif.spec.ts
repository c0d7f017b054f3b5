import sharp from 'sharp';
import { photoCapture } from './exif';

function jpeg(exif?: Record<string, Record<string, string>>): Promise<Buffer> {
  const image = sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } });
  return (exif ? image.withExif(exif) : image).jpeg().toBuffer();
}

describe('photoCapture', () => {
  it("reads the camera's DateTimeOriginal as written, without zone, and the GPS place in degrees", async () => {
    const photo = await jpeg({
      IFD2: { DateTimeOriginal: '2025:11:02 16:45:00' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '33/1 52/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '70/1 30/1 0/1',
      },
    });
    expect(await photoCapture(photo)).toEqual({
      capturedAt: '2025-11-02T16:45:00',
      capturePlace: { latitude: -33.8666667, longitude: -70.5 },
    });
  });

  it('gives a date without a place, and nothing for a photo without EXIF', async () => {
    expect(await photoCapture(await jpeg({ IFD2: { DateTimeOriginal: '2024:01:31 08:00:05' } }))).toEqual({
      capturedAt: '2024-01-31T08:00:05',
      capturePlace: null,
    });
    expect(await photoCapture(await jpeg())).toEqual({ capturedAt: null, capturePlace: null });
  });

  it('takes a clock never set (0000:00:00) as no date, and bytes that are no photo as nothing', async () => {
    expect(await photoCapture(await jpeg({ IFD2: { DateTimeOriginal: '0000:00:00 00:00:00' } }))).toEqual({
      capturedAt: null,
      capturePlace: null,
    });
    expect(await photoCapture(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x45]))).toEqual({
      capturedAt: null,
      capturePlace: null,
    });
  });
});
