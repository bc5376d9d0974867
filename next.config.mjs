/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a wasm build and data files; Prisma's client and adapters load at run time from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // forbidden() from next/navigation: refused console pages answer 403 with app/**/forbidden.tsx.
  experimental: { authInterrupts: true },
};

export default nextConfig;
