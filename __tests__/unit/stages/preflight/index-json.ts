/** An index as `inspect --raw` prints it: the given platforms and an attestation manifest. */
export const index = (platforms: string[]) =>
  JSON.stringify({
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      ...platforms.map((p, i) => {
        const [os, architecture, variant] = p.split('/');
        return { digest: `sha256:${i}`, platform: { os, architecture, ...(variant ? { variant } : {}) } };
      }),
      {
        digest: 'sha256:att',
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      },
    ],
  });
