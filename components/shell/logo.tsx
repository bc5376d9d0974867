/** The Switchboard mark: public/logo.svg, from which scripts/render-icons.ts draws the favicon and app icons. */
export function Logo({ className, alt = "" }: { className?: string; alt?: string }) {
  // A 32 px static SVG: next/image would add a loader round trip and nothing to optimise.
  // oxlint-disable-next-line nextjs/no-img-element
  return <img src="/logo.svg" alt={alt} width={32} height={32} className={className} />;
}
