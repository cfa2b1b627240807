#!/usr/bin/env bash
# Creates the two Secrets the manifests expect, with fresh random values, in the namespace (default carbonstream):
#   carbonstream-postgres  postgres-password, trainer-password, telemetry-password, carbon-password
#   carbonstream-jwt       jwt-public.pem: the public key that verifies bearer tokens
# The token signing key pair is made under CARBONSTREAM_HOME/keys (default <repo>/.local-kubernetes/keys; the private
# key never leaves this machine), so that the local launcher issues tokens the cluster accepts:
#   CARBONSTREAM_HOME=<repo>/.local-kubernetes deploy/local/carbonstream token --tenant T --role R
# An existing Secret is left as it is (PostgreSQL keeps the passwords it was initialised with); delete it first to
# replace it. With your own identity provider, skip carbonstream-jwt and set mp.jwt.verify.publickey.location
# (docs/kubernetes.md). Needs kubectl (with access to the cluster) and openssl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAMESPACE="${1:-carbonstream}"
KEYS="${CARBONSTREAM_HOME:-$ROOT/.local-kubernetes}/keys"

exists() { kubectl -n "$NAMESPACE" get secret "$1" >/dev/null 2>&1; }
password() { openssl rand -base64 33 | tr -d '/+=\n' | cut -c1-32; }

kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"

if exists carbonstream-postgres; then
  echo "secret carbonstream-postgres exists: left as it is"
else
  kubectl -n "$NAMESPACE" create secret generic carbonstream-postgres \
    --from-literal=postgres-password="$(password)" \
    --from-literal=trainer-password="$(password)" \
    --from-literal=telemetry-password="$(password)" \
    --from-literal=carbon-password="$(password)"
fi

if [ ! -f "$KEYS/jwt-private.pem" ]; then
  mkdir -p "$KEYS" && chmod 700 "$KEYS"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$KEYS/jwt-private.pem" 2>/dev/null)
  openssl pkey -in "$KEYS/jwt-private.pem" -pubout -out "$KEYS/jwt-public.pem"
  echo "token signing key pair created in $KEYS"
fi
if exists carbonstream-jwt; then
  echo "secret carbonstream-jwt exists: left as it is"
else
  kubectl -n "$NAMESPACE" create secret generic carbonstream-jwt --from-file=jwt-public.pem="$KEYS/jwt-public.pem"
fi
