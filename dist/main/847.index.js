export const id = 847;
export const ids = [847];
export const modules = {

/***/ 71847:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   expandVariables: () => (/* binding */ expandVariables),
/* harmony export */   fromVars: () => (/* binding */ fromVars),
/* harmony export */   parseDockerfile: () => (/* binding */ parseDockerfile),
/* harmony export */   stageNames: () => (/* binding */ stageNames),
/* harmony export */   walkStages: () => (/* binding */ walkStages)
/* harmony export */ });
/* harmony import */ var dockerfile_ast__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(78390);
/**
 * The Dockerfile as BuildKit reads it for its FROM lines, pure: variables expanded as the frontend
 * expands them, the file parsed once into its global ARGs and stages, and the stages the last one
 * needs walked, each with the platform it is built for. Who reads which images out of the walk
 * (preflight, the arch check's base layers) gives it a `BaseImages` to fill.
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
/** DockerfileStage and image names a COPY/ADD --from or a RUN --mount from= refers to. */
function fromRefsOf(ins, keyword, line) {
    const refs = [];
    const flags = ins.getFlags?.() ?? [];
    for (const f of flags) {
        const v = f.getValue();
        if (!v)
            continue;
        if (f.getName() === 'from' && keyword !== 'RUN')
            refs.push({ text: v, line });
        if (f.getName() === 'mount') {
            const m = mountFrom(v);
            if (m)
                refs.push({ text: m, line });
        }
    }
    return refs;
}
function parseDockerfile(dockerfile) {
    const df = dockerfile_ast__WEBPACK_IMPORTED_MODULE_0__.DockerfileParser.parse(dockerfile);
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
            current.fromRefs.push(...fromRefsOf(ins, keyword, line));
        }
    }
    return { declared, stages };
}
/**
 * The stage names of a Dockerfile (FROM … AS name, lower-cased as BuildKit compares them), or
 * undefined when a name is built from a variable: then which stages exist is not known here.
 */
function stageNames(dockerfile) {
    const names = parseDockerfile(dockerfile).stages.flatMap((s) => (s.name ? [s.name] : []));
    return names.some((n) => n.includes('$')) ? undefined : names;
}
/** The variables a FROM line sees when building `target`: TARGET* / BUILD*, then the global ARGs. */
function fromVars(declared, buildArgs, target, buildPlatform) {
    const overrides = new Map();
    for (const a of buildArgs) {
        const eq = a.indexOf('=');
        if (eq > 0)
            overrides.set(a.slice(0, eq), a.slice(eq + 1));
    }
    const vars = new Map([...platformVars('TARGET', target), ...platformVars('BUILD', buildPlatform)]);
    for (const d of declared) {
        const value = overrides.has(d.name)
            ? overrides.get(d.name)
            : d.value !== null
                ? expandVariables(d.value, vars).value
                : undefined;
        if (value !== undefined)
            vars.set(d.name, value);
    }
    return vars;
}
/** A stage a FROM or --from names (by name or index), if it is one defined before `before`. */
function stageRef(stages, text, before) {
    // by name, the last stage of that name (as a name → stage map of them all would hold)
    const s = /^\d+$/.test(text) ? stages[Number(text)] : stages.filter((st) => st.name === text.toLowerCase()).pop();
    return s && s.index < before ? s : undefined;
}
/** The platform a stage is built for, and whether --platform pins it to the build platform. */
function stagePlatform(stage, platform, vars) {
    if (!stage.platformFlag)
        return { platform, onBuildPlatform: false };
    const p = expandVariables(stage.platformFlag, vars);
    if (p.used.some((u) => BUILD_PLATFORM_ARGS.includes(u)))
        return { platform, onBuildPlatform: true };
    return { platform: p.value && p.unresolved.length === 0 ? p.value.toLowerCase() : platform, onBuildPlatform: false };
}
/** Walk the stages the last one needs, each with the platform it is built for, gathering the images. */
function walkStages(stages, target, vars, out) {
    const seen = new Set();
    const visit = (stage, platform) => {
        const key = `${stage.index}@${platform}`;
        if (seen.has(key))
            return;
        seen.add(key);
        const { platform: onPlatform, onBuildPlatform } = stagePlatform(stage, platform, vars);
        const image = expandVariables(stage.image, vars);
        const parent = stageRef(stages, image.value, stage.index);
        if (parent)
            visit(parent, onPlatform);
        else if (image.value.toLowerCase() === 'scratch')
            out.skip('scratch', stage.line, 'scratch has no image');
        else if (onBuildPlatform)
            out.skip(image.value || stage.image, stage.line, `pinned to the build platform (--platform=${stage.platformFlag})`);
        else if (!image.value || image.unresolved.length)
            out.skip(stage.image, stage.line, `uses ${image.unresolved.join(', ') || 'an empty value'}, which has no value here`);
        else
            out.need(image.value, onPlatform, stage.line);
        for (const ref of stage.fromRefs) {
            const r = expandVariables(ref.text, vars);
            const s = stageRef(stages, r.value, stage.index);
            if (s)
                visit(s, onPlatform);
            else if (/^\d+$/.test(r.value))
                continue;
            else if (!r.value || r.unresolved.length)
                out.skip(ref.text, ref.line, 'has a variable with no value');
            else if (!onBuildPlatform)
                out.need(r.value, onPlatform, ref.line);
        }
    };
    visit(stages[stages.length - 1], target);
}


/***/ })

};
