// npx tsx scripts/render-icons.ts - draws the PNG and ICO icons in public/ from public/logo.svg with the system's
// Chromium (the one the e2e tests use), so the logo has one source. Run it again after editing the SVG.
import fs from "node:fs";
import path from "node:path";
import { chromium as playwright } from "@playwright/test";
import { findChromium, systemLookup } from "../lib/testing/chromium";

const publicDir = path.resolve(import.meta.dirname, "..", "public");
const logo = fs.readFileSync(path.join(publicDir, "logo.svg"), "utf8");
// iOS rounds an apple-touch-icon's corners itself and paints transparent ones black: that one fills the square.
const square = logo.replace(/(<rect [^>]*?) rx="[^"]*"/, "$1");

const found = findChromium(systemLookup());
if ("error" in found) throw new Error(`${found.error} Run \`npx tsx scripts/ensure-chromium.ts\`.`);
const browser = await playwright.launch({ executablePath: found.path, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();

async function png(svg: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  await page.setContent(`<body style="margin:0"><img src="${src}" width="${size}" height="${size}" style="display:block"></body>`);
  await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** An .ico holding PNG images (every browser since IE 9 reads them). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size % 256, entry);
    header.writeUInt8(size % 256, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

try {
  fs.writeFileSync(path.join(publicDir, "icon.png"), await png(logo, 512));
  fs.writeFileSync(path.join(publicDir, "apple-touch-icon.png"), await png(square, 180));
  const sizes = [16, 32, 48];
  const images = [];
  for (const size of sizes) images.push({ size, data: await png(logo, size) });
  fs.writeFileSync(path.join(publicDir, "favicon.ico"), ico(images));
  console.log(`Wrote icon.png (512), apple-touch-icon.png (180), favicon.ico (${sizes.join(", ")}) in ${publicDir}`);
} finally {
  await browser.close();
}
