export const id = 956;
export const ids = [956];
export const modules = {

/***/ 83956:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   expandVariables: () => (/* binding */ expandVariables),
/* harmony export */   judgeBase: () => (/* binding */ judgeBase),
/* harmony export */   planPreflight: () => (/* binding */ planPreflight),
/* harmony export */   runPreflight: () => (/* binding */ runPreflight)
/* harmony export */ });
/* harmony import */ var dockerfile_ast__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(78390);
/* harmony import */ var _ports_argv_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(23432);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(452);
/* harmony import */ var _oci_manifests_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(27927);
/**
 * Preflight: before building, check that every base image the build will pull has every
 * requested platform. Building arm64 FROM an amd64-only base otherwise fails late (after QEMU
 * builds of every other stage) or, with a single-platform base, silently ships the wrong
 * architecture.
 */




const BUILD_PLATFORM_ARGS = ['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT'];
/**
 * Expand $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt} the way the
 * Dockerfile frontend does in FROM lines; `\$` is a literal dollar.
 */
function expandVariables(text, vars) {
    const unresolved = [];
    const used = [];
    const value = text.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced, op, word, bare) => {
        if (match === '\\$')
            return '$';
        const name = (braced ?? bare);
        used.push(name);
        const set = vars.has(name);
        const val = vars.get(name) ?? '';
        switch (op) {
            case ':-':
                return set && val !== '' ? val : (word ?? '');
            case '-':
                return set ? val : (word ?? '');
            case ':+':
                return set && val !== '' ? (word ?? '') : '';
            case '+':
                return set ? (word ?? '') : '';
            default:
                if (!set)
                    unresolved.push(name);
                return val;
        }
    });
    return { value, unresolved, used };
}
function platformVars(prefix, platform) {
    const [os = '', arch = '', variant = ''] = platform.split('/');
    return [
        [`${prefix}PLATFORM`, platform],
        [`${prefix}OS`, os],
        [`${prefix}ARCH`, arch],
        [`${prefix}VARIANT`, variant],
    ];
}
function mountFrom(value) {
    for (const part of value.split(',')) {
        const [k, v] = part.split('=', 2);
        if (k?.trim() === 'from' && v)
            return v.trim();
    }
    return undefined;
}
/**
 * Pure: which base images to check for which platforms. Only the stages the final stage needs
 * (through FROM <stage>, COPY --from and RUN --mount from=) are considered, as BuildKit builds
 * only those. Build args override the defaults of ARGs declared before the first FROM, the only
 * ones a FROM line can see, plus the automatic TARGET* / BUILD* platform args.
 */
function planPreflight(dockerfile, buildArgs, platforms, buildPlatform = 'linux/amd64') {
    const df = dockerfile_ast__WEBPACK_IMPORTED_MODULE_0__.DockerfileParser.parse(dockerfile);
    const overrides = new Map();
    for (const a of buildArgs) {
        const eq = a.indexOf('=');
        if (eq > 0)
            overrides.set(a.slice(0, eq), a.slice(eq + 1));
    }
    // global ARGs, in order, each default expanded with the ones before it
    const declared = [];
    for (const arg of df.getInitialARGs()) {
        const prop = arg.getProperty();
        if (!prop)
            continue;
        declared.push({ name: prop.getName(), value: prop.getValue() });
    }
    const stages = [];
    let current;
    for (const ins of df.getInstructions()) {
        const keyword = ins.getKeyword().toUpperCase();
        const line = ins.getRange().start.line + 1;
        if (keyword === 'FROM') {
            const from = df.getFROMs().find((f) => f.getRange().start.line === ins.getRange().start.line);
            current = {
                index: stages.length,
                name: from?.getBuildStage()?.toLowerCase() ?? undefined,
                image: from?.getImage() ?? '',
                platformFlag: from?.getPlatformFlag()?.getValue() ?? undefined,
                line,
                fromRefs: [],
            };
            stages.push(current);
        }
        else if (current && (keyword === 'COPY' || keyword === 'ADD' || keyword === 'RUN')) {
            const flags = ins.getFlags?.() ?? [];
            for (const f of flags) {
                const v = f.getValue();
                if (!v)
                    continue;
                if (f.getName() === 'from' && keyword !== 'RUN')
                    current.fromRefs.push({ text: v, line });
                if (f.getName() === 'mount') {
                    const m = mountFrom(v);
                    if (m)
                        current.fromRefs.push({ text: m, line });
                }
            }
        }
    }
    const plan = { checks: [], skipped: [] };
    if (stages.length === 0)
        return plan;
    const byName = new Map();
    for (const s of stages)
        if (s.name)
            byName.set(s.name, s);
    const stageRef = (text, before) => {
        if (/^\d+$/.test(text)) {
            const s = stages[Number(text)];
            return s && s.index < before ? s : undefined;
        }
        const s = byName.get(text.toLowerCase());
        return s && s.index < before ? s : undefined;
    };
    const checks = new Map();
    const skipped = new Map();
    const skip = (image, line, reason) => {
        const key = `${image}\n${reason}`;
        if (!skipped.has(key))
            skipped.set(key, { image, line, reason });
    };
    const need = (ref, platform, line) => {
        // a Dockerfile value (ARG B=--help, FROM ${B}) never reaches a command line as an option
        if ((0,_ports_argv_js__WEBPACK_IMPORTED_MODULE_1__/* .readsAsOption */ .D)(ref))
            return skip((0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .clipLongWords */ .ij)(ref, 80), line, 'starts with "-", which docker would read as an option');
        const c = checks.get(ref) ?? { ref, platforms: [], line };
        if (!c.platforms.includes(platform))
            c.platforms.push(platform);
        checks.set(ref, c);
    };
    for (const target of platforms) {
        const vars = new Map([...platformVars('TARGET', target), ...platformVars('BUILD', buildPlatform)]);
        for (const d of declared) {
            const value = overrides.has(d.name) ? overrides.get(d.name) : d.value !== null ? expandVariables(d.value, vars).value : undefined;
            if (value !== undefined)
                vars.set(d.name, value);
        }
        // walk the stages the last one needs, each with the platform it is built for
        const seen = new Set();
        const visit = (stage, platform) => {
            const key = `${stage.index}@${platform}`;
            if (seen.has(key))
                return;
            seen.add(key);
            let stagePlatform = platform;
            let onBuildPlatform = false;
            if (stage.platformFlag) {
                const p = expandVariables(stage.platformFlag, vars);
                if (p.used.some((u) => BUILD_PLATFORM_ARGS.includes(u)))
                    onBuildPlatform = true;
                else if (p.value && p.unresolved.length === 0)
                    stagePlatform = p.value.toLowerCase();
            }
            const image = expandVariables(stage.image, vars);
            const parent = stageRef(image.value, stage.index);
            if (parent) {
                visit(parent, stagePlatform);
            }
            else if (image.value.toLowerCase() === 'scratch') {
                skip('scratch', stage.line, 'scratch has no image');
            }
            else if (onBuildPlatform) {
                skip(image.value || stage.image, stage.line, `pinned to the build platform (--platform=${stage.platformFlag})`);
            }
            else if (!image.value || image.unresolved.length) {
                skip(stage.image, stage.line, `uses ${image.unresolved.join(', ') || 'an empty value'}, which has no value here`);
            }
            else {
                need(image.value, stagePlatform, stage.line);
            }
            for (const ref of stage.fromRefs) {
                const r = expandVariables(ref.text, vars);
                const s = stageRef(r.value, stage.index);
                if (s)
                    visit(s, stagePlatform);
                else if (/^\d+$/.test(r.value))
                    continue;
                else if (!r.value || r.unresolved.length)
                    skip(ref.text, ref.line, 'has a variable with no value');
                else if (!onBuildPlatform)
                    need(r.value, stagePlatform, ref.line);
            }
        };
        visit(stages[stages.length - 1], target);
    }
    plan.checks = [...checks.values()];
    plan.skipped = [...skipped.values()];
    return plan;
}
/** Pure: what one `imagetools inspect --raw` answer means for one check. */
function judgeBase(check, res) {
    if (res.code !== 0) {
        const detail = res.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${res.code}`;
        return { ref: check.ref, status: 'unreachable', detail };
    }
    let parsed;
    try {
        parsed = (0,_oci_manifests_js__WEBPACK_IMPORTED_MODULE_3__/* .parseManifest */ .Ng)(res.stdout);
    }
    catch {
        return { ref: check.ref, status: 'unreachable', detail: 'the registry answered something that is not a manifest' };
    }
    if (parsed.kind === 'manifest')
        return { ref: check.ref, status: 'single', available: [] };
    const available = parsed.entries.map((e) => e.platform);
    const missing = (0,_oci_manifests_js__WEBPACK_IMPORTED_MODULE_3__/* .missingPlatforms */ .z3)(check.platforms, available);
    if (missing.length)
        return { ref: check.ref, status: 'missing', missing, available, line: check.line };
    return { ref: check.ref, status: 'ok', available };
}
/**
 * A single-platform manifest's platform is in its config; ask imagetools for it.
 * Returns canonical platform or undefined when it cannot be read.
 */
async function singlePlatform(exec, ref) {
    const res = await exec({ argv: ['docker', 'buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', '--', ref], silent: true });
    if (res.code !== 0)
        return undefined;
    try {
        const img = JSON.parse(res.stdout);
        if (!img.os || !img.architecture)
            return undefined;
        return [img.os, img.architecture, img.variant].filter(Boolean).join('/');
    }
    catch {
        return undefined;
    }
}
/** Act: inspect every base image (in parallel) and fail before the build if one lacks a platform. */
async function runPreflight(plan, dockerfilePath, deps) {
    for (const s of plan.skipped)
        deps.log(`preflight: not checking ${s.image} (line ${s.line}): ${s.reason}`);
    const verdicts = await Promise.all(plan.checks.map(async (check) => {
        const res = await deps.exec({ argv: ['docker', 'buildx', 'imagetools', 'inspect', '--raw', '--', check.ref], silent: true });
        let v = judgeBase(check, res);
        if (v.status === 'single') {
            const p = await singlePlatform(deps.exec, check.ref);
            if (p) {
                const missing = (0,_oci_manifests_js__WEBPACK_IMPORTED_MODULE_3__/* .missingPlatforms */ .z3)(check.platforms, [p]);
                v = missing.length
                    ? { ref: check.ref, status: 'missing', missing, available: [p], line: check.line }
                    : { ref: check.ref, status: 'ok', available: [p] };
            }
        }
        return v;
    }));
    const problems = [];
    let firstLine;
    for (const v of verdicts) {
        if (v.status === 'ok')
            deps.log(`preflight: ${v.ref} has ${v.available.join(', ')}`);
        else if (v.status === 'single')
            deps.log(`preflight: ${v.ref} is a single-platform image whose platform could not be read; not checked`);
        else if (v.status === 'unreachable')
            deps.warn(`preflight: could not inspect base image ${v.ref} (${v.detail}); not checked, the build will tell more`);
        else {
            firstLine ??= v.line;
            problems.push(`base image ${v.ref} (line ${v.line}) has no ${v.missing.join(', ')}: it has only ${v.available.join(', ') || 'no platform'}`);
        }
    }
    if (problems.length) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StageError */ .Zu('preflight', `${problems.join('; ')}. Build only the platforms the base provides (input "platforms"), or pick a base image that has them.`, { file: dockerfilePath, line: firstLine });
    }
    return verdicts;
}


/***/ })

};
