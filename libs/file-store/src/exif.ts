import exifr from 'exifr';
import type { CapturePlace } from '@app/domain';

export interface PhotoCapture {
  /** EXIF DateTimeOriginal as the camera's clock read it, an ISO date-time without zone. */
  capturedAt: string | null;
  capturePlace: CapturePlace | null;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

function isoLocal(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = EXIF_DATE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  // A camera that never had its clock set writes 0000:00:00 00:00:00.
  return Number.isNaN(Date.parse(`${iso}Z`)) ? null : iso;
}

function place(latitude: unknown, longitude: unknown): CapturePlace | null {
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (latitude === 0 && longitude === 0) return null;
  return { latitude: Number(latitude.toFixed(7)), longitude: Number(longitude.toFixed(7)) };
}

/**
 * When and where a photo was taken, from the EXIF data in its head (JPEG's APP1, HEIC's Exif item);
 * nothing when it has none or it cannot be read: a photo without EXIF is still evidence.
 */
export async function photoCapture(head: Buffer): Promise<PhotoCapture> {
  try {
    // Values left as written: a revived date would be read in this server's zone.
    const tags = (await exifr.parse(head, {
      tiff: true,
      exif: true,
      gps: true,
      reviveValues: false,
      translateValues: false,
      mergeOutput: true,
    })) as Record<string, unknown> | undefined;
    if (!tags) return { capturedAt: null, capturePlace: null };
    return {
      capturedAt: isoLocal(tags.DateTimeOriginal) ?? isoLocal(tags.CreateDate),
      capturePlace: place(tags.latitude, tags.longitude),
    };
  } catch {
    return { capturedAt: null, capturePlace: null };
  }
}
