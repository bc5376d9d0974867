-- AlterTable
ALTER TABLE "McpOAuthConnection" ADD COLUMN     "pendingAuthServerMetadata" JSONB,
ADD COLUMN     "pendingAuthServerUrl" TEXT,
ADD COLUMN     "pendingClientId" TEXT,
ADD COLUMN     "pendingClientRedirectUri" TEXT,
ADD COLUMN     "pendingClientSecret" TEXT,
ADD COLUMN     "pendingClientSource" TEXT,
ADD COLUMN     "pendingResource" TEXT,
ADD COLUMN     "pendingResourceMetadataUrl" TEXT;
