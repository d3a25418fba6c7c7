export const id = 385;
export const ids = [385];
export const modules = {

/***/ 5385:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  planMeta: () => (/* binding */ planMeta)
});

// EXTERNAL MODULE: ./node_modules/@renovatebot/pep440/index.js + 4 modules
var pep440 = __webpack_require__(9687);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
// EXTERNAL MODULE: ./node_modules/handlebars/lib/index.js
var lib = __webpack_require__(8508);
// EXTERNAL MODULE: ./node_modules/moment-timezone/index.js
var moment_timezone = __webpack_require__(9856);
;// CONCATENATED MODULE: ./lib/meta/expressions.js


// An isolated Handlebars environment: no helper registered globally, nothing shared.
const hb = lib.create();
function dateHelper(at) {
    return (format, options) => {
        let tz = 'UTC';
        for (const [k, v] of Object.entries(options?.hash ?? {})) {
            if (k !== 'tz')
                throw new Error(`unknown date attribute "${k}" (only tz='Area/City' is known)`);
            tz = String(v);
        }
        if (!moment_timezone.tz.zone(tz))
            throw new Error(`unknown time zone "${tz}"`);
        return moment_timezone(at()).tz(tz).format(typeof format === 'string' ? format : undefined);
    };
}
/** Short sha as metadata-action: DOCKER_METADATA_SHORT_SHA_LENGTH characters (default 7). */
function shortSha(meta) {
    let n = 7;
    if (meta.shortShaLength) {
        n = Number(meta.shortShaLength);
        if (!Number.isFinite(n))
            throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a number: ${meta.shortShaLength}`);
    }
    return n >= meta.sha.length ? meta.sha : meta.sha.slice(0, n);
}
const branchOf = (ref) => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '');
const tagOf = (ref) => (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '');
function isDefaultBranch(meta) {
    const branch = meta.ref.replace(/^refs\/heads\//, '');
    if (!branch)
        return false;
    if (meta.repo.defaultBranch && meta.repo.defaultBranch === branch)
        return true;
    // these events always run on the default branch's last commit
    return /create|discussion|issues|schedule/.test(meta.eventName);
}
/** The {{date}}-style helpers, usable alone (schedule pattern) or with the global expressions. */
function dateHelpers(c) {
    return {
        date: dateHelper(() => c.now),
        commit_date: dateHelper(() => (c.commitDate ? new Date(c.commitDate) : c.now)),
    };
}
/**
 * Render metadata-action's global expressions ({{branch}}, {{tag}}, {{sha}}, {{base_ref}},
 * {{is_default_branch}}, {{date 'fmt' tz='…'}}, {{commit_date 'fmt'}}) in a value.
 */
function renderGlobal(template, c) {
    if (!template.includes('{{'))
        return template;
    const m = c.meta;
    return hb.compile(template)({
        branch: () => branchOf(m.ref),
        tag: () => tagOf(m.ref),
        sha: () => shortSha(m),
        base_ref: () => {
            if (m.ref.startsWith('refs/tags/') && m.pushBaseRef)
                return m.pushBaseRef.replace(/^refs\/heads\//, '');
            if (m.ref.startsWith('refs/pull/') && m.prBaseRef)
                return m.prBaseRef;
            return '';
        },
        is_default_branch: () => String(isDefaultBranch(m)),
        ...dateHelpers(c),
    });
}
/** Render a template against a plain data object (semver/pep440 patterns, schedule pattern). */
function renderWith(template, data) {
    return hb.compile(template)(data);
}
/** True when a pattern is exactly `{{raw}}` (pre-releases then keep the raw tag). */
function isRawPattern(pattern) {
    try {
        const ast = hb.parseWithoutProcessing(pattern);
        const [only] = ast.body;
        if (ast.body.length !== 1 || only?.type !== 'MustacheStatement')
            return false;
        const p = only.path;
        return p.parts?.length === 1 && p.parts[0] === 'raw';
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./lib/meta/labels.js
/** The generated OCI keys, in metadata-action's order (before sorting). */
function ociPairs(o) {
    return [
        ['org.opencontainers.image.title', o.repo.name],
        ['org.opencontainers.image.description', o.repo.description],
        ['org.opencontainers.image.url', o.repo.htmlUrl],
        ['org.opencontainers.image.source', o.repo.htmlUrl],
        ['org.opencontainers.image.version', o.version],
        ['org.opencontainers.image.created', o.created],
        ['org.opencontainers.image.revision', o.revision],
        ['org.opencontainers.image.licenses', o.repo.license],
    ];
}
/**
 * Generated pairs, then user `KEY=VALUE` lines (already rendered) overriding them; lines without '='
 * are dropped. Sorted by key, as metadata-action outputs them.
 */
function mergeLabels(generated, user) {
    const map = new Map(generated);
    for (const line of user) {
        const eq = line.indexOf('=');
        if (eq < 0)
            continue;
        map.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `${k}=${v}`);
}
/** `created` from SOURCE_DATE_EPOCH (seconds) when set, else now. */
function createdAt(sourceDateEpoch, now) {
    if (sourceDateEpoch && /^\d+$/.test(sourceDateEpoch.trim()))
        return new Date(Number(sourceDateEpoch.trim()) * 1000).toISOString();
    return new Date(now).toISOString();
}

// EXTERNAL MODULE: ./lib/reference.js
var reference = __webpack_require__(2206);
;// CONCATENATED MODULE: ./lib/meta/sanitize.js

/** Longest tag the docker reference grammar allows. */
const MAX_TAG = 128;
/**
 * metadata-action's tag sanitising: every run of characters outside [A-Za-z0-9._-] becomes one '-'.
 * Applied to each generated value after its prefix and suffix.
 */
function sanitizeLikeMetadataAction(value) {
    return value.replace(/[^a-zA-Z0-9._-]+/g, '-');
}
/**
 * A value made into a tag that is always valid: metadata-action's sanitising, then (where that still
 * gives an invalid tag) leading '.' and '-' removed and the length cut to 128. Returns '' when
 * nothing usable is left (the caller then drops the tag).
 */
function toDockerTag(value) {
    let t = sanitizeLikeMetadataAction(value);
    if ((0,reference/* isValidTag */.r_)(t))
        return t;
    t = t.replace(/^[.-]+/, '').slice(0, MAX_TAG);
    return (0,reference/* isValidTag */.r_)(t) ? t : '';
}

;// CONCATENATED MODULE: ./lib/stages/meta.js






/** Pure: tags, labels, annotations and version for this run, by docker/metadata-action's rules. */
function planMeta(input, run) {
    const m = run.meta;
    const ex = { meta: m, now: run.now, commitDate: m.commitDate };
    const g = (s) => renderGlobal(s, ex);
    const flavor = input.flavor;
    const notes = input.tagRules.flatMap((r) => (r.warning ? [r.warning] : []));
    const v = { partial: [] };
    const withAffixes = (val, rule) => {
        if ('prefix' in rule.attrs)
            val = g(rule.attrs.prefix) + val;
        else if (flavor.prefix)
            val = g(flavor.prefix) + val;
        if ('suffix' in rule.attrs)
            val += g(rule.attrs.suffix);
        else if (flavor.suffix)
            val += g(flavor.suffix);
        return val;
    };
    const latestFor = (auto) => (flavor.latest === 'auto' ? auto : flavor.latest === 'true');
    const add = (val, latest, rule) => {
        if (!val)
            return;
        const tag = toDockerTag(val);
        if (!tag) {
            notes.push(`${rule.source}: "${val}" gives no valid tag, skipped`);
            return;
        }
        if (v.main === undefined)
            v.main = tag;
        else if (tag !== v.main && !v.partial.includes(tag))
            v.partial.push(tag);
        v.latest ??= latest;
    };
    const isTag = m.ref.startsWith('refs/tags/');
    const tagName = m.ref.replace(/^refs\/tags\//, '');
    for (const rule of input.tagRules) {
        const enabled = g(rule.attrs.enable);
        if (enabled !== 'true' && enabled !== 'false')
            throw new Error(`${rule.source}: enable is "${enabled}", must be true or false`);
        if (enabled === 'false')
            continue;
        const a = rule.attrs;
        switch (rule.type) {
            case 'schedule': {
                if (!/schedule/.test(m.eventName))
                    break;
                add(withAffixes(renderWith(a.pattern, dateHelpers(ex)), rule), latestFor(false), rule);
                break;
            }
            case 'semver': {
                if (!isTag && !a.value)
                    break;
                const raw = a.value ? g(a.value) : tagName.replace(/\//g, '-');
                if (!semver.valid(raw)) {
                    notes.push(`${rule.source}: ${raw} is not a valid semver, skipped`);
                    break;
                }
                const parsed = semver.parse(raw, { loose: true });
                const data = { raw: parsed.raw, version: parsed.version, major: parsed.major, minor: parsed.minor, patch: parsed.patch };
                if (semver.prerelease(raw)) {
                    add(withAffixes(renderWith(isRawPattern(a.pattern) ? a.pattern : '{{version}}', data), rule), latestFor(false), rule);
                }
                else {
                    add(withAffixes(renderWith(a.pattern, data), rule), latestFor(true), rule);
                }
                break;
            }
            case 'pep440': {
                if (!isTag && !a.value)
                    break;
                const raw = a.value ? g(a.value) : tagName.replace(/\//g, '-');
                if (!pep440/* valid */.rZ(raw)) {
                    notes.push(`${rule.source}: ${raw} does not conform to PEP 440, skipped`);
                    break;
                }
                const info = pep440/* explain */.WE(raw);
                const clean = pep440/* clean */.uH(raw) ?? raw;
                if (info.is_prerelease || info.is_postrelease || info.is_devrelease) {
                    add(withAffixes(isRawPattern(a.pattern) ? raw : clean, rule), latestFor(false), rule);
                }
                else {
                    const data = { raw, version: clean, major: pep440/* major */.eR(raw), minor: pep440/* minor */.Ek(raw), patch: pep440/* patch */.F6(raw) };
                    add(withAffixes(renderWith(a.pattern, data), rule), latestFor(true), rule);
                }
                break;
            }
            case 'match': {
                if (!isTag && !a.value)
                    break;
                const raw = a.value ? g(a.value) : tagName;
                const re = /^\/(.+)\/(.*)$/.exec(a.pattern);
                const found = raw.match(re ? new RegExp(re[1], re[2]) : new RegExp(a.pattern));
                if (!found) {
                    notes.push(`${rule.source}: ${a.pattern} does not match ${raw}, skipped`);
                    break;
                }
                const group = found[Number(a.group)];
                if (group === undefined) {
                    notes.push(`${rule.source}: group ${a.group} does not exist in ${a.pattern}, skipped`);
                    break;
                }
                add(withAffixes(group, rule), latestFor(true), rule);
                break;
            }
            case 'ref': {
                if (a.event === 'branch' && m.ref.startsWith('refs/heads/'))
                    add(withAffixes(branchOf(m.ref), rule), latestFor(false), rule);
                if (a.event === 'tag' && isTag)
                    add(withAffixes(tagName, rule), latestFor(true), rule);
                if (a.event === 'pr' && m.ref.startsWith('refs/pull/')) {
                    add(withAffixes(m.ref.replace(/^refs\/pull\//, '').replace(/\/merge$/, ''), rule), latestFor(false), rule);
                }
                break;
            }
            case 'edge': {
                if (!m.ref.startsWith('refs/heads/'))
                    break;
                const branch = a.branch || m.repo.defaultBranch;
                if (branch !== branchOf(m.ref))
                    break;
                add(withAffixes('edge', rule), latestFor(false), rule);
                break;
            }
            case 'raw':
                add(withAffixes(g(a.value), rule), latestFor(false), rule);
                break;
            case 'sha': {
                if (!m.sha)
                    break;
                add(withAffixes(a.format === 'long' ? m.sha : shortSha(m), rule), latestFor(false), rule);
                break;
            }
        }
    }
    const images = input.images.filter((i) => i.enable).map((i) => i.name.toLowerCase());
    const tagList = [];
    if (v.main !== undefined) {
        tagList.push(v.main, ...v.partial);
        if (v.latest) {
            const latest = toDockerTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`);
            if (latest && !tagList.includes(latest))
                tagList.push(latest);
        }
    }
    const generated = images.flatMap((image) => tagList.map((t) => `${image}:${t}`)).filter((r) => {
        const ok = (0,reference/* isValidName */.uV)(r.slice(0, r.lastIndexOf(':')));
        if (!ok)
            notes.push(`${r}: not a valid reference, skipped`);
        return ok;
    });
    const literal = input.literalRefs ?? [];
    const refs = [...new Set([...generated, ...literal])];
    const tags = images.length || literal.length ? refs : tagList;
    // with only full references given, the version is the first one's tag
    const version = v.main ?? (literal[0] ? meta_tagOf(literal[0]) : '');
    const oci = ociPairs({ repo: m.repo, version, created: createdAt(m.sourceDateEpoch, run.now), revision: m.sha });
    const labels = mergeLabels(oci, input.labels.map(g));
    const plainAnnotations = mergeLabels(oci, input.annotations.map(g));
    const annotations = m.annotationLevels.flatMap((level) => plainAnnotations.map((x) => `${level}:${x}`));
    const labelObj = {};
    for (const l of labels) {
        const eq = l.indexOf('=');
        labelObj[l.slice(0, eq)] = l.slice(eq + 1);
    }
    return { refs, tags, version, labels, annotations, json: { tags, labels: labelObj, annotations }, notes };
}
/** The tag of a reference name[:tag] ('latest' when it has none, as docker reads it). */
function meta_tagOf(ref) {
    const slash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    return colon > slash ? ref.slice(colon + 1) : 'latest';
}


/***/ })

};
