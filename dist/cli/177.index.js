export const id = 177;
export const ids = [177];
export const modules = {

/***/ 15177:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkMetaExpressions: () => (/* binding */ checkMetaExpressions)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(452);
/* harmony import */ var _expressions_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(46422);


/** Every expression problem, each naming its input and the line it is on. */
function checkMetaExpressions(m, run) {
    const ex = { meta: run.meta, now: run.now, commitDate: run.meta.commitDate };
    const errors = [];
    const check = (input, where, fn) => {
        try {
            fn();
        }
        catch (err) {
            errors.push(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `${where}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`));
        }
    };
    // a version pattern is rendered with a sample version: every name it may use is defined
    const sampleVersion = (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .versionData */ .L0)('1.2.3', '1.2.3', 1, 2, 3);
    for (const rule of m.tagRules) {
        const where = `"${rule.source}"`;
        for (const key of ['value', 'prefix', 'suffix']) {
            const text = rule.attrs[key];
            if (text !== undefined)
                check('tags', `${where} (${key})`, () => (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderGlobal */ .Yy)(text, ex));
        }
        check('tags', `${where} (enable)`, () => {
            const enabled = (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderGlobal */ .Yy)(rule.attrs.enable, ex);
            if (enabled !== 'true' && enabled !== 'false')
                throw new Error(`renders to "${enabled}" on this event, must be true or false`);
        });
        if (rule.type === 'schedule')
            check('tags', `${where} (pattern)`, () => (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderWith */ .hc)(rule.attrs.pattern, (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .dateHelpers */ .Ol)(ex)));
        if (rule.type === 'semver' || rule.type === 'pep440')
            check('tags', `${where} (pattern)`, () => (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderWith */ .hc)(rule.attrs.pattern, sampleVersion));
    }
    check('flavor', 'prefix', () => (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderGlobal */ .Yy)(m.flavor.prefix, ex));
    check('flavor', 'suffix', () => (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderGlobal */ .Yy)(m.flavor.suffix, ex));
    for (const input of ['labels', 'annotations']) {
        for (const line of m[input])
            check(input, `"${line}"`, () => (0,_expressions_js__WEBPACK_IMPORTED_MODULE_1__/* .renderGlobal */ .Yy)(line, ex));
    }
    return errors;
}


/***/ }),

/***/ 46422:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CP: () => (/* binding */ gitBranchOf),
/* harmony export */   Eb: () => (/* binding */ gitTagOf),
/* harmony export */   Fu: () => (/* binding */ shortSha),
/* harmony export */   L0: () => (/* binding */ versionData),
/* harmony export */   Ol: () => (/* binding */ dateHelpers),
/* harmony export */   Yy: () => (/* binding */ renderGlobal),
/* harmony export */   hc: () => (/* binding */ renderWith),
/* harmony export */   t_: () => (/* binding */ isRawPattern),
/* harmony export */   uT: () => (/* binding */ unquotedDateFormats)
/* harmony export */ });
/* unused harmony export isDefaultBranch */
/* harmony import */ var handlebars__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88508);
/* harmony import */ var moment_timezone__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(79856);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(452);



// An isolated Handlebars environment: no helper registered globally, nothing shared.
const hb = handlebars__WEBPACK_IMPORTED_MODULE_0__.create();
function dateHelper(at) {
    // Handlebars passes the options object last: {{date}} has no format, {{date 'fmt'}} one
    return (...args) => {
        const options = args.pop();
        if (args.length > 1)
            throw new Error("a date takes one quoted format, e.g. {{date 'YYYYMMDD'}}");
        const [format] = args;
        // {{date YYYYMMDD}}: an unquoted word is looked up as a name, which Handlebars gives as
        // undefined: the default format then, as docker/metadata-action renders it (planMeta warns)
        if (format !== undefined && typeof format !== 'string')
            throw new Error(`the date format must be quoted text, e.g. {{date 'YYYYMMDD'}}, not ${String(format)}`);
        let tz = 'UTC';
        for (const [k, v] of Object.entries(options?.hash ?? {})) {
            if (k !== 'tz')
                throw new Error(`unknown date attribute "${k}" (only tz='Area/City' is known)`);
            tz = String(v);
        }
        if (!moment_timezone__WEBPACK_IMPORTED_MODULE_1__.tz.zone(tz))
            throw new Error(`unknown time zone "${tz}" (use an IANA name, e.g. tz='Europe/Paris')`);
        return moment_timezone__WEBPACK_IMPORTED_MODULE_1__(at()).tz(tz).format(format);
    };
}
/**
 * Render a template, strictly: an unknown name ({{brnch}}, an unquoted date format) is an error
 * instead of an empty string, so a typo cannot silently drop a tag. The message names the problem,
 * never the template (the caller names the input line).
 */
function render(template, data) {
    try {
        return hb.compile(template, { strict: true })(data);
    }
    catch (err) {
        throw new Error(templateProblem(template, (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err), Object.keys(data)), { cause: err });
    }
}
function templateProblem(template, message, known) {
    const unknown = /^"([^"]+)" not defined/.exec(message);
    if (unknown) {
        const hint = known.includes('date') ? "; a date format is quoted: {{date 'YYYYMMDD'}}" : '';
        return `unknown expression "${unknown[1]}" (known: ${known.join(', ')})${hint}`;
    }
    if (/^Parse error/.test(message)) {
        const open = template.lastIndexOf('{{');
        if (open >= 0 && !template.includes('}}', open))
            return 'an expression is not closed: "{{" without "}}"';
        return `not a valid {{…}} expression (${message.split('\n').pop()})`;
    }
    return message;
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
/** The branch of a git ref (refs/heads/…), '' for any other ref. */
const gitBranchOf = (ref) => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '');
/** The git tag of a git ref (refs/tags/…), '' for any other ref. An image reference's tag: splitReference (src/oci/reference.ts). */
const gitTagOf = (ref) => (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '');
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
/** Pure: the templates whose date format is an unquoted word ({{date YYYYMMDD}}), rendered in the default format. */
function unquotedDateFormats(templates) {
    return templates.filter((t) => /\{\{~?\s*(?:date|commit_date)\s+(?!['"])[^\s}=]+(?:\s|~?\}\})/.test(t));
}
/**
 * Render metadata-action's global expressions ({{branch}}, {{tag}}, {{sha}}, {{base_ref}},
 * {{is_default_branch}}, {{is_not_default_branch}}, {{date 'fmt' tz='…'}}, {{commit_date 'fmt'}}) in a value.
 */
function renderGlobal(template, c) {
    if (!template.includes('{{'))
        return template;
    const m = c.meta;
    return render(template, {
        branch: () => gitBranchOf(m.ref),
        tag: () => gitTagOf(m.ref),
        sha: () => shortSha(m),
        base_ref: () => {
            if (m.ref.startsWith('refs/tags/') && m.pushBaseRef)
                return m.pushBaseRef.replace(/^refs\/heads\//, '');
            if (m.ref.startsWith('refs/pull/') && m.prBaseRef)
                return m.prBaseRef;
            return '';
        },
        is_default_branch: () => String(isDefaultBranch(m)),
        is_not_default_branch: () => String(!isDefaultBranch(m)),
        ...dateHelpers(c),
    });
}
/** What a semver/pep440 pattern can name ({{version}}, {{major}}, …): one list for the planner and the input check. */
function versionData(raw, version, major, minor, patch) {
    return { raw, version, major, minor, patch };
}
/** Render a template against a plain data object (semver/pep440 patterns, schedule pattern). */
function renderWith(template, data) {
    return render(template, data);
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


/***/ })

};
