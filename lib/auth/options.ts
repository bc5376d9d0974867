import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInSchema } from "../schemas/auth";
import { isAppError } from "../errors";
import { authenticate, SIGN_IN_FAILED } from "./sign-in";
import { authSecret } from "./auth-secret";
import { clientAddressFromHeaders } from "./client-address";

let cached: NextAuthOptions | undefined;

/** Built on first use so that `next build` never touches the data directory. */
export function authOptions(): NextAuthOptions {
  return (cached ??= {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error(SIGN_IN_FAILED);
          try {
            const user = await authenticate({ ...parsed.data, address: clientAddressFromHeaders(req?.headers ?? {}) });
            return { id: user.id, email: user.email, name: user.name };
          } catch (e) {
            // next-auth passes the message to the sign-in page as ?error=...; both messages are generic.
            if (isAppError(e) && (e.code === "rate_limited" || e.code === "unauthenticated")) throw new Error(e.message);
            throw new Error(SIGN_IN_FAILED);
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string;
        return session;
      },
    },
  });
}
