export const id = 282;
export const ids = [282];
export const modules = {

/***/ 91392:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ PROBE_CONCURRENCY),
/* harmony export */   s: () => (/* binding */ mapLimit)
/* harmony export */ });
/** Bounded fan-out for lists that come from untrusted input. */
/**
 * How many base images are probed at once (preflight's inspects, the arch check's base reads): an
 * inspect is a docker CLI process (~70 MB resident) plus a registry round trip; 4 keeps a
 * Dockerfile of 120 `FROM`s from starting 240 processes on a 2-core runner, while the usual 1-4
 * bases still all go at once.
 */
const PROBE_CONCURRENCY = 4;
/**
 * A bounded fan-out: `fn` over every item with at most `limit` calls in flight, results in the
 * items' order. Used wherever one call per item of an untrusted list (a Dockerfile's `FROM`s, an
 * image's layers) would otherwise start them all at once. A call that throws rejects the whole
 * map, as Promise.all does; the calls already started finish on their own.
 */
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return out;
}


/***/ }),

/***/ 29282:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  archCheckFailure: () => (/* reexport */ archCheckFailure),
  archCheckSummary: () => (/* reexport */ archCheckSummary),
  baseElves: () => (/* binding */ baseElves),
  baseLayers: () => (/* binding */ baseLayers),
  checkExported: () => (/* binding */ checkExported),
  checkPushed: () => (/* binding */ checkPushed),
  ignoreMatcher: () => (/* reexport */ ignoreMatcher),
  markedIndex: () => (/* binding */ markedIndex),
  platformImages: () => (/* binding */ platformImages),
  seedPlaceholders: () => (/* binding */ seedPlaceholders),
  unwrittenPlaceholders: () => (/* binding */ unwrittenPlaceholders)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: ./lib/oci/elf.js
var elf = __webpack_require__(56412);
// EXTERNAL MODULE: ./lib/oci/manifests.js
var manifests = __webpack_require__(27927);
// EXTERNAL MODULE: ./lib/ports/pool.js
var pool = __webpack_require__(91392);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./lib/oci/reference.js
var reference = __webpack_require__(23940);
// EXTERNAL MODULE: ./lib/ports/docker-config.js
var docker_config = __webpack_require__(65553);
// EXTERNAL MODULE: ./lib/ports/registry-read.js
var registry_read = __webpack_require__(9642);
;// CONCATENATED MODULE: ./lib/ports/registry.js
/**
 * A read-only registry client for the arch check: manifests (as text: oci/manifests.ts parses them,
 * as it parses verify's `imagetools inspect --raw`) and blobs over the distribution API,
 * with the token flow (anonymous, or with the run's docker config credentials, which a login or an
 * earlier step put there). In-process so a layer streams straight into the reader: no `docker
 * pull`, nothing on disk.
 */






/** Pure: the API base URL; loopback registries speak plain HTTP, as docker assumes for them. */
function registryBase(registry) {
    if (registry === 'docker.io')
        return 'https://registry-1.docker.io';
    return `${(0,reference/* isLoopbackHost */.cW)(registry) ? 'http' : 'https'}://${registry}`;
}
/** Pure: the fields of a WWW-Authenticate challenge (scheme lower-cased). */
function parseChallenge(header) {
    const m = /^\s*(\w+)\s*(.*)$/.exec(header) ?? [];
    const params = {};
    for (const p of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g))
        params[p[1]] = p[2];
    return { scheme: (m[1] ?? '').toLowerCase(), params };
}
/** Pure: credentials for a registry from config.json's auths, or the helper that holds them. */
function configCredentials(configJson, registry) {
    let cfg;
    try {
        cfg = JSON.parse(configJson ?? '{}');
    }
    catch {
        return undefined;
    }
    const key = (0,docker_config/* registryKey */.n7)(registry);
    const helper = cfg.credHelpers?.[key];
    if (helper)
        return { helper };
    const entry = cfg.auths?.[key] ?? cfg.auths?.[`https://${key}`] ?? cfg.auths?.[`http://${key}`];
    if (entry?.auth) {
        const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = plain.indexOf(':');
        if (colon > 0)
            return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
    }
    if (cfg.credsStore && entry)
        return { helper: cfg.credsStore };
    return undefined;
}
/** Credentials for a registry, asking a credential helper through the exec gateway when one holds them. */
async function credentials(registry, deps) {
    const found = configCredentials(deps.readFile(external_node_path_.join(deps.dockerConfig, 'config.json')), registry);
    if (!found || !('helper' in found))
        return found;
    const res = await deps.exec({
        argv: [`docker-credential-${found.helper}`, 'get'],
        stdin: (0,docker_config/* registryKey */.n7)(registry),
        silent: true,
    });
    if (res.code !== 0)
        return undefined;
    try {
        const j = JSON.parse(res.stdout);
        return j.Username && j.Secret ? { username: j.Username, password: j.Secret } : undefined;
    }
    catch {
        return undefined;
    }
}
/** A value in a message as it is when it looks like a name or digest; quoted and cut otherwise (a Dockerfile's FROM is untrusted). */
const shown = (s) => (/^[\w .:@/-]{0,300}$/.test(s) ? s : JSON.stringify(s.slice(0, 100)));
const basic = (c) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
/** One repository on one registry: GETs manifests and blobs, answering auth challenges once. */
class RegistryRepo {
    registry;
    repository;
    deps;
    auth;
    base;
    constructor(registry, repository, deps) {
        this.registry = registry;
        this.repository = repository;
        this.deps = deps;
        this.base = registryBase(registry);
    }
    static of(ref, deps) {
        const s = (0,reference/* splitReference */.mQ)(ref);
        return { repo: new RegistryRepo(s.registry, s.repository, deps), reference: s.reference };
    }
    /** A manifest or index, as raw JSON text (oci/manifests.ts reads it); size-capped, checked when read by digest. */
    async manifest(reference) {
        const d = this.deadline(`manifest ${reference}`, 'small');
        const res = await this.get(`manifests/${reference}`, manifests/* MANIFEST_MEDIA_TYPES */.$T.join(', '), d);
        return (0,registry_read/* boundedText */.LD)(res, d.deadline, {
            what: d.what,
            maxBytes: registry_read/* MANIFEST_MAX_BYTES */.V4,
            digest: reference.includes(':') ? reference : undefined,
        });
    }
    /** An image config blob as text: size-capped and checked against its digest. */
    async config(digest) {
        const d = this.deadline(`config blob ${digest}`, 'small');
        const res = await this.get(`blobs/${digest}`, '*/*', d);
        return (0,registry_read/* boundedText */.LD)(res, d.deadline, { what: d.what, maxBytes: registry_read/* CONFIG_MAX_BYTES */.SL, digest });
    }
    /** A layer blob as a stream (never buffered whole), within its deadlines, checked against its digest at its end. */
    async blob(digest) {
        const d = this.deadline(`blob ${digest}`, 'layer');
        const res = await this.get(`blobs/${digest}`, '*/*', d);
        return external_node_stream_.Readable.from((0,registry_read/* boundedBody */._j)(res, d.deadline, { what: d.what, digest }), { objectMode: false });
    }
    /** A read's deadline and the name its messages give it: the registry host, what is read, the repository. */
    deadline(thing, kind) {
        const limits = this.deps.limits ?? (0,registry_read/* readLimits */.BU)({});
        const what = `registry ${shown(this.registry)}: ${shown(thing)} of ${shown(this.repository)}`;
        return {
            what,
            deadline: new registry_read/* ReadDeadline */.fx(what, limits.idleMs, kind === 'small' ? limits.smallMs : limits.layerMs),
        };
    }
    /** GET within the read's deadline (which is cleared here when the GET fails). */
    async get(what, accept, d) {
        try {
            return await this.request(what, accept, d.deadline);
        }
        catch (err) {
            d.deadline.done();
            throw err;
        }
    }
    async request(what, accept, deadline) {
        const url = `${this.base}/v2/${this.repository}/${what}`;
        const headers = () => ({
            Accept: accept,
            ...(this.auth ? { Authorization: this.auth } : {}),
        });
        const signal = deadline.signal;
        let res = await deadline.wait(this.deps.fetch(url, { headers: headers(), signal }));
        if (res.status === 401) {
            await res.body?.cancel();
            this.auth = await deadline.wait(this.authorize(res.headers.get('www-authenticate') ?? '', signal));
            res = await deadline.wait(this.deps.fetch(url, { headers: headers(), signal }));
        }
        if (!res.ok) {
            await res.body?.cancel();
            throw new Error(`GET ${this.registry}/${this.repository} ${what.split('/')[0]} answered ${res.status} ${res.statusText}`.trim());
        }
        return res;
    }
    /** Answer a challenge: Basic with the credentials, or a Bearer token for pull on this repository. */
    async authorize(challenge, signal) {
        const creds = await credentials(this.registry, this.deps);
        const { scheme, params } = parseChallenge(challenge);
        if (scheme === 'basic')
            return creds ? basic(creds) : undefined;
        if (scheme !== 'bearer' || !params.realm)
            return undefined;
        const url = new URL(params.realm);
        if (params.service)
            url.searchParams.set('service', params.service);
        url.searchParams.set('scope', `repository:${this.repository}:pull`);
        const res = await this.deps.fetch(url, { headers: creds ? { Authorization: basic(creds) } : {}, signal });
        if (!res.ok)
            throw new Error(`token for ${this.registry}/${this.repository}: ${res.status} ${res.statusText}`.trim());
        const body = (await res.json());
        const token = body.token ?? body.access_token;
        return token ? `Bearer ${token}` : undefined;
    }
}

// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(56118);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(14006);
// EXTERNAL MODULE: ./lib/run/summary.js
var summary = __webpack_require__(69053);
;// CONCATENATED MODULE: ./lib/stages/archcheck/plan.js
/**
 * Arch check: after the build, every platform's image is read layer by layer and each regular
 * file's ELF header is compared with the platform. Pure: what a layer holds (LayerScan, filled in
 * by act-scan.ts), how layers stack (whiteouts), the verdict and its message.
 */




function emptyScan() {
    return { elves: [], paths: new Set(), whiteouts: [], opaque: [], files: 0 };
}
/** A tar entry's path as the image's filesystem sees it ("./usr/bin/x" and "/usr/bin/x" → "usr/bin/x"). */
function normalisePath(p) {
    return p.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}
const under = (p, dir) => dir === '' || p === dir || p.startsWith(`${dir}/`);
/**
 * The ELF files a platform's image really holds, from its layers bottom to top: a file that an
 * upper layer replaces, whites out, or hides under an opaque directory is gone.
 */
function stackLayers(layers) {
    let live = [];
    for (const layer of layers) {
        live = live.filter((e) => !layer.paths.has(e.path) &&
            !layer.whiteouts.some((w) => under(e.path, w)) &&
            !layer.opaque.some((d) => under(e.path, d) && e.path !== d));
        live.push(...layer.elves);
    }
    return live;
}
/** A matcher for arch-check-ignore (globs on image paths, "/usr/lib/firmware/**" or "usr/lib/firmware/**"). */
function ignoreMatcher(globs) {
    if (!globs.length)
        return () => false;
    const match = picomatch(globs.map(normalisePath), { dot: true });
    // a directory named as such skips everything under it
    const dirs = globs.map(normalisePath).filter((g) => !/[*?[\]{}]/.test(g));
    return (p) => match(p) || dirs.some((d) => under(p, d));
}
/** Judge one platform's stacked layers. */
function judgePlatform(platform, layers, layersTotal, ignore, 
/** How many of `layers` came from the record of checked layers, not read. */
recorded = 0) {
    const live = stackLayers(layers).filter((e) => !ignore(e.path));
    const wrong = live
        .filter((e) => !(0,elf/* elfFits */.oy)(platform, e.header))
        .map((e) => ({ path: `/${e.path}`, arch: (0,elf/* describeElf */.Rg)(e.header) }));
    return {
        platform,
        checked: live.length,
        files: layers.reduce((n, l) => n + l.files, 0),
        layersRead: layers.length - recorded,
        ...(recorded ? { layersRecorded: recorded } : {}),
        layersTotal,
        wrong,
        unreadable: layers.flatMap((l) => (l.unreadable ? [l.unreadable] : [])),
    };
}
const SHOWN = 5;
/** The failure naming each bad platform, its first files, their count and architecture, and the fix. */
function archCheckFailure(verdicts) {
    const bad = verdicts.filter((v) => v.wrong.length);
    if (!bad.length)
        return undefined;
    const parts = bad.map((v) => {
        const arches = [...new Set(v.wrong.map((w) => w.arch))].join(', ');
        const files = v.wrong
            .slice(0, SHOWN)
            .map((w) => w.path)
            .join(', ');
        const more = v.wrong.length > SHOWN ? ` and ${v.wrong.length - SHOWN} more` : '';
        return `${v.platform} holds ${v.wrong.length} ${arches} binar${v.wrong.length === 1 ? 'y' : 'ies'}: ${files}${more}`;
    });
    return new errors/* StageError */.Zu('arch-check', `${parts.join('; ')}. Fix: build the stage that makes them for $TARGETPLATFORM (FROM --platform=$TARGETPLATFORM, or cross-compile with GOARCH=$TARGETARCH), and use ARG TARGETARCH in download URLs instead of a fixed architecture; or list the paths in arch-check-ignore.`);
}
/** The job summary section. */
function archCheckSummary(verdicts, mode) {
    const rows = verdicts.map((v) => {
        const result = v.wrong.length
            ? `**${v.wrong.length} wrong** (${(0,summary/* summaryText */.g5)([...new Set(v.wrong.map((w) => w.arch))].join(', '))})`
            : 'ok';
        const layers = v.layersTotal === 0
            ? 'none (files)'
            : mode === 'full'
                ? `${v.layersRead}`
                : `${v.layersRead} of ${v.layersTotal}`;
        const recorded = v.layersRecorded ? `, ${v.layersRecorded} from the record` : '';
        return `| ${(0,summary/* summaryText */.g5)(v.platform)} | ${result} | ${v.checked} | ${v.files} | ${layers}${recorded} |`;
    });
    const scope = mode === 'full' ? 'every layer' : 'the layers this build added above its base images';
    return [
        '#### arch check',
        '',
        `Read ${scope}.`,
        '',
        '| platform | result | ELF files | files read | layers read |',
        '|---|---|---|---|---|',
        ...rows,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./lib/stages/archcheck/act-scan.js
/**
 * Streaming reads for the arch check: a layer (tar, gzip or zstd), an OCI layout tar (what
 * `buildx build --output type=oci` writes) and a platform's folder (`type=local`). Every file passes
 * through once; only each regular file's first bytes are kept, so memory stays flat on any size.
 */








/** The first `n` bytes of a stream (fewer if it ends first), and a stream of all of it. */
async function peek(src, n) {
    const it = src[Symbol.asyncIterator]();
    const chunks = [];
    let size = 0;
    let done = false;
    while (size < n) {
        const next = await it.next();
        if (next.done) {
            done = true;
            break;
        }
        chunks.push(next.value);
        size += next.value.length;
    }
    const head = Buffer.concat(chunks);
    async function* rest() {
        if (head.length)
            yield head;
        if (done)
            return;
        for (;;) {
            const next = await it.next();
            if (next.done)
                return;
            yield next.value;
        }
    }
    return { head: head.subarray(0, n), all: external_node_stream_.Readable.from(rest(), { objectMode: false }) };
}
/** A tar entry: its bytes (tar-stream's entry stream yields Buffers). */
const bytes = (e) => e;
const isGzip = (h) => h[0] === 0x1f && h[1] === 0x8b;
const isZstd = (h) => h.readUInt32LE(0) === 0xfd2fb528;
/** Node 22.15+ / 24 has zstd; older ones do not (layers compressed with it are then reported, not read). */
const zstdDecompress = external_node_zlib_.createZstdDecompress;
/** Drain a stream, keeping its first `n` bytes. */
async function firstBytes(entry, n) {
    const kept = [];
    let size = 0;
    for await (const chunk of entry) {
        if (size < n) {
            kept.push(chunk);
            size += chunk.length;
        }
    }
    return Buffer.concat(kept).subarray(0, n);
}
/** Record one tar entry of a layer. */
async function record(scan, header, entry) {
    const p = normalisePath(header.name);
    const slash = p.lastIndexOf('/');
    const dir = slash < 0 ? '' : p.slice(0, slash);
    const base = p.slice(slash + 1);
    if (base === '.wh..wh..opq')
        scan.opaque.push(dir);
    else if (base.startsWith('.wh.'))
        scan.whiteouts.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
    else if (p)
        scan.paths.add(p);
    if (header.type === 'file' || header.type === 'contiguous-file') {
        if (base.startsWith('.wh.'))
            return void (await firstBytes(entry, 0));
        scan.files++;
        const h = (0,elf/* readElfHeader */.x9)(await firstBytes(entry, elf/* ELF_HEADER_BYTES */.q9));
        if (h)
            scan.elves.push({ path: p, header: h });
        return;
    }
    await firstBytes(entry, 0);
}
/** Read one layer blob (plain, gzip or zstd tar). A stream that is none of those reads as empty. */
async function scanLayer(src, label = 'layer') {
    const scan = emptyScan();
    const { head, all } = await peek(src, 512);
    let decoders = [];
    if (isGzip(head))
        decoders = [external_node_zlib_.createGunzip()];
    else if (head.length >= 4 && isZstd(head)) {
        if (!zstdDecompress) {
            await firstBytes(all, 0);
            return { ...scan, unreadable: `${label} is zstd-compressed and this Node has no zstd` };
        }
        decoders = [zstdDecompress()];
    }
    else if (head.length < 262 || head.subarray(257, 262).toString('latin1') !== 'ustar') {
        await firstBytes(all, 0);
        return scan;
    }
    const extract = tar_stream.extract();
    const feeding = (0,promises_.pipeline)([all, ...decoders, extract]);
    feeding.catch(() => undefined); // surfaces below (the entry loop ends with the same error)
    for await (const entry of extract)
        await record(scan, entry.header, bytes(entry));
    await feeding;
    return scan;
}
const MAX_JSON = 4 * 1024 * 1024;
/**
 * Read an OCI layout tar as it streams: blobs come in digest order, before index.json, so every
 * blob is judged by its first bytes (JSON is kept, a tar layer is scanned) and matched to its
 * platform afterwards. Blobs in `skip` (base image layers) pass through unread.
 */
async function scanOciLayout(src, skip) {
    const out = { index: '', json: new Map(), layers: new Map() };
    const extract = tar_stream.extract();
    const feeding = (0,promises_.pipeline)(external_node_stream_.Readable.from(src, { objectMode: false }), extract);
    feeding.catch(() => undefined);
    for await (const entry of extract) {
        const name = normalisePath(entry.header.name);
        const blob = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name);
        if (name === 'index.json')
            out.index = (await firstBytes(bytes(entry), MAX_JSON)).toString('utf8');
        else if (!blob || entry.header.type !== 'file' || skip.has(`${blob[1]}:${blob[2]}`))
            await firstBytes(bytes(entry), 0);
        else
            await readBlob(`${blob[1]}:${blob[2]}`, bytes(entry), entry.header.size ?? 0, out);
    }
    await feeding;
    return out;
}
async function readBlob(digest, entry, size, out) {
    const { head, all } = await peek(entry, 1);
    if (head[0] === 0x7b && size <= MAX_JSON)
        out.json.set(digest, (await firstBytes(all, MAX_JSON)).toString('utf8'));
    else
        out.layers.set(digest, await scanLayer(all, digest));
}
/** The first bytes of a file (fewer when it is shorter). */
async function fileHead(file, n) {
    const fd = await external_node_fs_.promises.open(file, 'r');
    try {
        const buf = Buffer.alloc(n);
        const { bytesRead } = await fd.read(buf, 0, n, 0);
        return buf.subarray(0, bytesRead);
    }
    finally {
        await fd.close();
    }
}
/**
 * Read a platform's folder as written by the local exporter: every regular file's ELF header, as
 * one layer (a folder has no layers or whiteouts). Links are not followed: the folder is the image's
 * filesystem, its links point into the image, not into this machine.
 */
async function scanTree(root) {
    const scan = emptyScan();
    const walk = async (rel) => {
        const dir = await external_node_fs_.promises.opendir(external_node_path_.join(root, rel));
        for await (const e of dir) {
            const p = rel ? `${rel}/${e.name}` : e.name;
            scan.paths.add(p);
            if (e.isDirectory())
                await walk(p);
            else if (e.isFile()) {
                scan.files++;
                const h = (0,elf/* readElfHeader */.x9)(await fileHead(external_node_path_.join(root, p), elf/* ELF_HEADER_BYTES */.q9));
                if (h)
                    scan.elves.push({ path: p, header: h });
            }
        }
    };
    await walk('');
    return scan;
}

// EXTERNAL MODULE: ./lib/stages/archcheck/export.js
var archcheck_export = __webpack_require__(87072);
;// CONCATENATED MODULE: ./lib/stages/archcheck/act.js
/**
 * Arch check, the act: find each platform's layers (in the registry when pushed; otherwise in the
 * OCI layout the build itself wrote, see export.ts), leave out the base images' layers unless
 * `full`, stream the rest once each and judge every platform (plan.ts). A multi-node build leaves
 * one folder a platform instead: its files are judged, the base images' own left out.
 */










/**
 * Walk an index (or a manifest) to the platform images it holds; oci/manifests.ts reads each one.
 * Only `wanted` platforms are read (all when undefined).
 */
async function platformImages(root, read, wanted) {
    const node = (0,manifests/* parseManifestNode */.L9)(root);
    if (node.kind === 'image') {
        // a single-platform manifest: its platform is only in its config
        const platform = (0,manifests/* imageConfigPlatform */.DK)(node.config ? await read.config(node.config) : '{}');
        return [{ platform, layers: node.layers }];
    }
    const out = [];
    // linux/arm64/v8 asked, linux/arm64 in the index: the same platform
    const want = wanted?.map(manifests/* canonicalPlatformOf */.JH);
    for (const e of node.entries) {
        if (want && !want.includes(e.platform))
            continue;
        const m = (0,manifests/* parseManifestNode */.L9)(await read.manifest(e.digest));
        out.push({ platform: e.platform, layers: m.kind === 'image' ? m.layers : [] });
    }
    // an OCI layout's index.json points at the image index without a platform: follow it
    for (const d of node.nested)
        out.push(...(await platformImages(await read.manifest(d), read, wanted)));
    return out;
}
/** The base images' layer digests for these platforms; a base that cannot be read is warned about (its layers get read). */
async function baseLayers(refs, platforms, deps) {
    const skip = new Set();
    // as preflight's inspects, a few at a time: a Dockerfile may name 120 bases
    await (0,pool/* mapLimit */.s)(refs, pool/* PROBE_CONCURRENCY */.b, async (ref) => {
        try {
            const { repo, reference } = RegistryRepo.of(ref, deps.registry);
            for (const img of await platformImages(await repo.manifest(reference), registryReader(repo), platforms))
                for (const l of img.layers)
                    skip.add(l);
        }
        catch (err) {
            deps.warn(`arch-check: cannot read base image ${ref} (${(0,errors/* errorMessage */.gJ)(err)}); its layers are checked too`);
        }
    });
    return skip;
}
/** A repository's manifests and config blobs, for platformImages. */
function registryReader(repo) {
    return { manifest: (d) => repo.manifest(d), config: (d) => repo.config(d) };
}
/**
 * Judge each platform from its image: a layer left out (a base) is skipped, a recorded one judged
 * from its recorded scan, any other from the scan just read.
 */
function judgeAll(images, scans, t) {
    return images.map((img) => {
        let recorded = 0;
        const layers = [];
        for (const l of img.layers.filter((d) => !t.skip.has(d))) {
            const read = scans.get(l);
            const memo = read ? undefined : t.memo?.recorded.get(l);
            if (memo) {
                recorded++;
                t.memo?.used.add(l);
            }
            const scan = read ?? memo;
            if (scan)
                layers.push(scan);
        }
        return judgePlatform(img.platform, layers, img.layers.length, t.ignore, recorded);
    });
}
/** The layers a check reads: neither left out nor recorded. */
function toRead(images, t) {
    return [...new Set(images.flatMap((i) => i.layers))].filter((l) => !t.skip.has(l) && !t.memo?.recorded.has(l));
}
/** Hand what was read to the memo (the record keeps it for the next check). */
function remember(t, scans) {
    if (t.memo)
        for (const [d, s] of scans)
            t.memo.read.set(d, s);
}
/** Pushed: read the index the build pushed (ref@digest) and stream its layers from the registry, a few at a time. */
async function checkPushed(ref, digest, t, deps) {
    const { repo } = RegistryRepo.of(ref, deps.registry);
    const images = await platformImages(await repo.manifest(digest), registryReader(repo), t.platforms);
    const todo = toRead(images, t);
    const scans = new Map();
    const next = async () => {
        for (let l = todo.shift(); l; l = todo.shift())
            scans.set(l, await scanLayer(await repo.blob(l), l));
    };
    await Promise.all([next(), next(), next()]);
    remember(t, scans);
    return judgeAll(images, scans, t);
}
/** Not pushed, one node: the OCI layout tar the build itself wrote beside its other outputs. */
async function checkOciTar(file, t) {
    // a recorded layer passes through unread, as a base one does
    const scan = await scanOciLayout(external_node_fs_.createReadStream(file), new Set([...t.skip, ...(t.memo?.recorded.keys() ?? [])]));
    if (!scan.index)
        throw new Error("the build's OCI export has no index.json");
    const blobs = scan.json;
    const get = async (d) => blobs.get(d) ?? Promise.reject(new Error(`blob ${d} is not in the export`));
    const images = await platformImages(scan.index, { manifest: get, config: get }, t.platforms);
    remember(t, scan.layers);
    return judgeAll(images, scan.layers, t);
}
/**
 * Before the build: an empty file for each base or recorded layer blob in the layout folder the
 * build will write, so BuildKit, finding the blob there, does not send it. Returns the digests seeded.
 */
function seedPlaceholders(dir, digests) {
    const seeded = new Set();
    for (const d of digests) {
        const file = (0,archcheck_export/* layoutBlobPath */.Dq)(dir, d);
        if (!file)
            continue;
        external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true });
        // 'wx': a file already there is not ours to empty
        try {
            external_node_fs_.closeSync(external_node_fs_.openSync(file, 'wx', 0o600));
            seeded.add(d);
        }
        catch {
            /* already there */
        }
    }
    return seeded;
}
/** After the build: how many seeded placeholders are still empty (BuildKit did not write those blobs). */
function unwrittenPlaceholders(dir, seeded) {
    let n = 0;
    for (const d of seeded) {
        const file = (0,archcheck_export/* layoutBlobPath */.Dq)(dir, d);
        if (file && external_node_fs_.statSync(file, { throwIfNoEntry: false })?.size === 0)
            n++;
    }
    return n;
}
const MAX_JSON_BLOB = 4 * 1024 * 1024;
/** Whether a layout entry can be a JSON blob: a regular file (no link), not empty (a placeholder), small. */
const jsonSized = (st) => st.isFile() && st.size > 0 && st.size <= MAX_JSON_BLOB;
/** A small JSON file of the layout (index, manifest, config), refused when it is not one. */
async function layoutJson(file) {
    if (!jsonSized(await external_node_fs_.promises.lstat(file)))
        throw new Error(`${external_node_path_.basename(file)} is not a JSON blob`);
    return external_node_fs_.promises.readFile(file, 'utf8');
}
/**
 * A manifest or config blob the build left as one of the placeholders seeded before it: the record
 * of checked layers (or a base image) named the build's own JSON as a layer, so BuildKit, finding
 * the blob there, did not write it. Not "cannot read the image" (a warning): a failure, since a
 * record that can do this can hide the build's content.
 */
async function seededJson(exp, d, file) {
    const seeded = exp.recordSeeded?.has(d) ? 'the record of checked layers' : exp.bases?.has(d) ? 'a base image' : '';
    if (!seeded || (await external_node_fs_.promises.lstat(file).catch(() => undefined))?.size !== 0)
        return;
    const remove = exp.recordSeeded?.has(d) && exp.recordFiles?.length ? `; remove ${exp.recordFiles.join(' and ')}` : '';
    throw new errors/* StageError */.Zu('arch-check', `the image's own manifest or config ${d} was left unwritten: ${seeded} names it as a layer, so it was seeded as a placeholder${remove}`);
}
/**
 * The image index of the check's own copy (export.ts: made distinct beside another exporter): the
 * one JSON blob of the folder that is an index carrying the run's mark. The folder's index.json
 * names the other exporter's image, which is not in the folder. Only small files that start as
 * JSON are read whole (a new layer is a compressed tar).
 */
async function markedIndex(dir, mark) {
    const found = [];
    for (const algorithm of await external_node_fs_.promises.readdir(external_node_path_.join(dir, 'blobs')).catch(() => []))
        for (const hex of await external_node_fs_.promises.readdir(external_node_path_.join(dir, 'blobs', algorithm))) {
            const text = await jsonBlob(external_node_path_.join(dir, 'blobs', algorithm, hex));
            if (text !== undefined && isMarkedIndex(text, mark))
                found.push(text);
        }
    if (found.length !== 1)
        throw new Error(`the build's OCI export holds ${found.length} image indexes marked for the check, not one`);
    return found[0];
}
/** A blob's text when it is a small regular file that starts as a JSON object, else undefined. */
async function jsonBlob(file) {
    if (!jsonSized(await external_node_fs_.promises.lstat(file)))
        return undefined;
    const fh = await external_node_fs_.promises.open(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW);
    try {
        const first = Buffer.alloc(1);
        await fh.read(first, 0, 1, 0);
        return first[0] === 0x7b ? await fh.readFile({ encoding: 'utf8' }) : undefined;
    }
    finally {
        await fh.close();
    }
}
function isMarkedIndex(text, mark) {
    try {
        const doc = JSON.parse(text);
        return Array.isArray(doc.manifests) && doc.annotations?.[archcheck_export/* CHECK_MARK_KEY */.H3] === mark;
    }
    catch {
        return false;
    }
}
/**
 * Not pushed, one node: the OCI layout folder the build wrote beside its other outputs. Only the
 * layers above the base images are read; a base layer (a placeholder, or written) never is.
 */
async function checkOciLayout(exp, t) {
    const dir = exp.path;
    const blob = (d) => {
        const file = (0,archcheck_export/* layoutBlobPath */.Dq)(dir, d);
        if (!file)
            throw new Error(`the build's OCI export names a malformed digest ${JSON.stringify(d)}`);
        return file;
    };
    const index = exp.mark
        ? await markedIndex(dir, exp.mark)
        : await layoutJson(external_node_path_.join(dir, 'index.json')).catch(() => {
            throw new Error("the build's OCI export has no index.json");
        });
    // only a blob that cannot be read is asked whether it was seeded: one lstat a blob, not two
    const get = (d) => layoutJson(blob(d)).catch(async (err) => {
        await seededJson(exp, d, blob(d));
        throw err;
    });
    const images = await platformImages(index, { manifest: get, config: get }, t.platforms);
    const scans = new Map();
    // a recorded layer is never read: it may be a placeholder seeded before the build (seedPlaceholders)
    await (0,pool/* mapLimit */.s)(toRead(images, t), 3, async (l) => {
        const file = blob(l);
        const st = await external_node_fs_.promises.lstat(file);
        if (!st.isFile())
            throw new Error(`layer ${l} is not a file in the export`);
        // no layer blob is empty (a compressed tar never is): only a base placeholder, not content
        if (st.size === 0)
            throw new Error(`layer ${l} is an empty placeholder, not the build's content`);
        scans.set(l, await scanLayer(external_node_fs_.createReadStream(file), l));
    });
    remember(t, scans);
    return judgeAll(images, scans, t);
}
/** Each platform's ELF files in the base images (path → architecture), stacked as the image holds them. */
async function baseElves(refs, platforms, deps) {
    const out = new Map(platforms.map((p) => [(0,manifests/* canonicalPlatformOf */.JH)(p), new Map()]));
    for (const ref of refs) {
        try {
            const { repo, reference } = RegistryRepo.of(ref, deps.registry);
            for (const img of await platformImages(await repo.manifest(reference), registryReader(repo), platforms)) {
                const layers = [];
                for (const l of img.layers)
                    layers.push(await scanLayer(await repo.blob(l), l));
                for (const e of stackLayers(layers))
                    out.get(img.platform)?.set(e.path, (0,elf/* describeElf */.Rg)(e.header));
            }
        }
        catch (err) {
            deps.warn(`arch-check: cannot read base image ${ref} (${(0,errors/* errorMessage */.gJ)(err)}); its files are checked too`);
        }
    }
    return out;
}
/**
 * Not pushed, several nodes: each platform's folder the build wrote (a folder has no layers). By
 * default a file the base image holds at the same path with the same architecture is its, not this
 * build's (what leaving out the base layers does); `full` (no bases) judges every file.
 */
async function checkFolders(dir, t, deps) {
    const bases = t.bases?.length ? await baseElves(t.bases, t.platforms, deps) : undefined;
    const out = [];
    for (const platform of t.platforms) {
        const folder = external_node_path_.join(dir, (0,archcheck_export/* platformFolder */.Or)(platform));
        if (!external_node_fs_.existsSync(folder))
            throw new Error(`the build's export holds no ${platform} folder`);
        const scan = await scanTree(folder);
        const base = bases?.get((0,manifests/* canonicalPlatformOf */.JH)(platform));
        if (base)
            scan.elves = scan.elves.filter((e) => base.get(e.path) !== (0,elf/* describeElf */.Rg)(e.header));
        out.push(judgePlatform(platform, [scan], 0, t.ignore));
    }
    return out;
}
/** Not pushed: judge what the build itself exported for the check (export.ts). */
async function checkExported(exp, t, deps) {
    if (exp.kind === 'layout')
        return checkOciLayout(exp, t);
    return exp.kind === 'oci' ? checkOciTar(exp.path, t) : checkFolders(exp.path, t, deps);
}
// what the wiring needs, through this one lazily loaded module



/***/ })

};
