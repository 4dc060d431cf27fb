// Heart Rate Measurement (GATT characteristic 0x2A37) decoded from its bytes, and a Web Bluetooth
// connection to a strap that offers the standard Heart Rate service (0x180D).
// Layout per the Bluetooth SIG Heart Rate Service 1.0 (2011, section 3.1) and the GATT
// Specification Supplement; little-endian. Flags (byte 0): bit 0 value is UINT16 (else UINT8);
// bits 1-2 sensor contact (0/1 not supported, 2 no contact, 3 contact); bit 3 Energy Expended
// present (UINT16, kJ); bit 4 RR intervals present (UINT16 each, 1/1024 s, as many as remain);
// bits 5-7 reserved and ignored. The Python twin is pacekeeper/sessions/heart_rate.py.
"use strict";

export class HeartRatePayloadError extends Error {}

function bytesOf(data) {
  if (data instanceof DataView) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data) && data.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Uint8Array.from(data);
  }
  throw new HeartRatePayloadError("payload: is not a sequence of bytes 0-255");
}

export function parseHeartRateMeasurement(data, where = "payload") {
  const b = bytesOf(data);
  const fail = (reason) => { throw new HeartRatePayloadError(`${where}: ${reason}`); };
  if (b.length === 0) fail("is empty; the flags byte is missing");
  const u16 = (at) => b[at] | (b[at + 1] << 8);
  const flags = b[0];
  const wide = (flags & 0x01) !== 0;
  const contactBits = (flags >> 1) & 0x03;
  const contact = contactBits === 3 ? "ok" : contactBits === 2 ? "lost" : "unsupported";
  let at = 1;
  const need = wide ? 2 : 1;
  if (b.length < at + need) {
    fail(`is ${b.length} bytes; the ${wide ? "UINT16" : "UINT8"} heart rate at byte ${at} is cut off`);
  }
  const bpm = wide ? u16(at) : b[at];
  at += need;
  let energyKj = null;
  if (flags & 0x08) {
    if (b.length < at + 2) fail(`is ${b.length} bytes; energy expended at byte ${at} is cut off`);
    energyKj = u16(at);
    at += 2;
  }
  const rr1024 = [];
  if (flags & 0x10) {
    if ((b.length - at) % 2) fail(`has an odd byte at ${b.length - 1} after the RR intervals from byte ${at}`);
    for (let i = at; i < b.length; i += 2) rr1024.push(u16(i));
  } else if (b.length > at) {
    fail(`has ${b.length - at} unexplained byte(s) from byte ${at}`);
  }
  return { bpm, contact, energyKj, rr1024, rrMs: rr1024.map((r) => (r * 1000) / 1024) };
}

// Web Bluetooth is in Chrome and Edge (Android, Windows, macOS, Linux, ChromeOS); not in Safari,
// on iOS or in Firefox. It needs a secure page (https or localhost) and a tap to start.
export function bluetoothAvailable() {
  return Boolean(navigator.bluetooth && window.isSecureContext);
}

export async function connectHeartRate(onReading, onGone) {
  const device = await navigator.bluetooth.requestDevice({ filters: [{ services: ["heart_rate"] }] });
  device.addEventListener("gattserverdisconnected", () => onGone(device.name || "strap"));
  const server = await device.gatt.connect();
  const service = await server.getPrimaryService("heart_rate");
  const characteristic = await service.getCharacteristic("heart_rate_measurement");
  characteristic.addEventListener("characteristicvaluechanged", (event) => {
    try { onReading(parseHeartRateMeasurement(event.target.value)); } catch (e) { /* skip a bad notification */ }
  });
  await characteristic.startNotifications();
  return device;
}
