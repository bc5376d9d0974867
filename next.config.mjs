/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a wasm build and data files; Prisma's client and adapters load at run time from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // forbidden() from next/navigation: refused console pages answer 403 with app/**/forbidden.tsx.
  // Pages load on their first request instead of all at start-up: the gateway process stays small when the
  // console is not in use (measured: about 150 MB less resident memory).
  experimental: { authInterrupts: true, preloadEntriesOnStart: false },
};

export default nextConfig;
