export const id = 551;
export const ids = [551];
export const modules = {

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


/***/ }),

/***/ 1551:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  leveledAnnotations: () => (/* binding */ leveledAnnotations),
  planMeta: () => (/* binding */ planMeta)
});

// EXTERNAL MODULE: ./lib/inputs/meta.js
var meta = __webpack_require__(20160);
// EXTERNAL MODULE: ./lib/oci/reference.js
var reference = __webpack_require__(23940);
// EXTERNAL MODULE: ./lib/stages/meta/expressions.js
var expressions = __webpack_require__(46422);
// EXTERNAL MODULE: ./lib/stages/meta/labels.js
var meta_labels = __webpack_require__(87134);
;// CONCATENATED MODULE: ./lib/stages/meta/sanitize.js

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

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/version.js
const VERSION_PATTERN = [
  'v?',
  '(?:',
  /* */ '(?:(?<epoch>[0-9]+)!)?', // epoch
  /* */ '(?<release>[0-9]+(?:\\.[0-9]+)*)', // release segment
  /* */ '(?<pre>', // pre-release
  /*    */ '[-_\\.]?',
  /*    */ '(?<pre_l>(a|b|c|rc|alpha|beta|pre|preview))',
  /*    */ '[-_\\.]?',
  /*    */ '(?<pre_n>[0-9]+)?',
  /* */ ')?',
  /* */ '(?<post>', // post release
  /*    */ '(?:-(?<post_n1>[0-9]+))',
  /*    */ '|',
  /*    */ '(?:',
  /*        */ '[-_\\.]?',
  /*        */ '(?<post_l>post|rev|r)',
  /*        */ '[-_\\.]?',
  /*        */ '(?<post_n2>[0-9]+)?',
  /*    */ ')',
  /* */ ')?',
  /* */ '(?<dev>', // dev release
  /*    */ '[-_\\.]?',
  /*    */ '(?<dev_l>dev)',
  /*    */ '[-_\\.]?',
  /*    */ '(?<dev_n>[0-9]+)?',
  /* */ ')?',
  ')',
  '(?:\\+(?<local>[a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?', // local version
].join('');



const validRegex = new RegExp('^' + VERSION_PATTERN + '$', 'i');

function valid(version) {
  return validRegex.test(version) ? version : null;
}

const cleanRegex = new RegExp('^\\s*' + VERSION_PATTERN + '\\s*$', 'i');
function version_clean(version) {
  return version_stringify(version_parse(version, cleanRegex));
}

function version_parse(version, regex) {
  // Validate the version and parse it into pieces
  const { groups } = (regex || validRegex).exec(version) || {};
  if (!groups) {
    return null;
  }

  // Store the parsed out pieces of the version
  const parsed = {
    epoch: Number(groups.epoch ? groups.epoch : 0),
    release: groups.release.split('.').map(Number),
    pre: normalize_letter_version(groups.pre_l, groups.pre_n),
    post: normalize_letter_version(
      groups.post_l,
      groups.post_n1 || groups.post_n2,
    ),
    dev: normalize_letter_version(groups.dev_l, groups.dev_n),
    local: parse_local_version(groups.local),
  };

  return parsed;
}

function version_stringify(parsed) {
  if (!parsed) {
    return null;
  }
  const { epoch, release, pre, post, dev, local } = parsed;
  const parts = [];

  // Epoch
  if (epoch !== 0) {
    parts.push(`${epoch}!`);
  }
  // Release segment
  parts.push(release.join('.'));

  // Pre-release
  if (pre) {
    parts.push(pre.join(''));
  }
  // Post-release
  if (post) {
    parts.push('.' + post.join(''));
  }
  // Development release
  if (dev) {
    parts.push('.' + dev.join(''));
  }
  // Local version segment
  if (local) {
    parts.push(`+${local}`);
  }
  return parts.join('');
}

function normalize_letter_version(letterIn, numberIn) {
  let letter = letterIn;
  let number = numberIn;
  if (letter) {
    // We consider there to be an implicit 0 in a pre-release if there is
    // not a numeral associated with it.
    if (!number) {
      number = 0;
    }
    // We normalize any letters to their lower case form
    letter = letter.toLowerCase();

    // We consider some words to be alternate spellings of other words and
    // in those cases we want to normalize the spellings to our preferred
    // spelling.
    if (letter === 'alpha') {
      letter = 'a';
    } else if (letter === 'beta') {
      letter = 'b';
    } else if (['c', 'pre', 'preview'].includes(letter)) {
      letter = 'rc';
    } else if (['rev', 'r'].includes(letter)) {
      letter = 'post';
    }
    return [letter, Number(number)];
  }
  if (!letter && number) {
    // We assume if we are given a number, but we are not given a letter
    // then this is using the implicit post release syntax (e.g. 1.0-1)
    letter = 'post';

    return [letter, Number(number)];
  }
  return null;
}

function parse_local_version(local) {
  /*
    Takes a string like abc.1.twelve and turns it into("abc", 1, "twelve").
    */
  if (local) {
    return local
      .split(/[._-]/)
      .map((part) =>
        Number.isNaN(Number(part)) ? part.toLowerCase() : Number(part),
      );
  }
  return null;
}

function explain(version) {
  const parsed = version_parse(version);
  if (!parsed) {
    return parsed;
  }
  const { epoch, release, pre, post, dev, local } = parsed;

  let base_version = '';
  if (epoch !== 0) {
    base_version += epoch + '!';
  }
  base_version += release.join('.');

  const is_prerelease = Boolean(dev || pre);
  const is_devrelease = Boolean(dev);
  const is_postrelease = Boolean(post);

  // return

  return {
    epoch,
    release,
    pre,
    post: post ? post[1] : post,
    dev: dev ? dev[1] : dev,
    local: local ? local.join('.') : local,
    public: version_stringify(parsed).split('+', 1)[0],
    base_version,
    is_prerelease,
    is_devrelease,
    is_postrelease,
  };
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/operator.js




function lt(version, other) {
  return compare(version, other) < 0;
}

function le(version, other) {
  return compare(version, other) <= 0;
}

function eq(version, other) {
  return compare(version, other) === 0;
}

function ne(version, other) {
  return compare(version, other) !== 0;
}

function ge(version, other) {
  return compare(version, other) >= 0;
}

function gt(version, other) {
  return compare(version, other) > 0;
}

function arbitrary(version, other) {
  return version.toLowerCase() === other.toLowerCase();
}

function compare(version, other) {
  const parsedVersion = parse(version);
  const parsedOther = parse(other);

  const keyVersion = calculateKey(parsedVersion);
  const keyOther = calculateKey(parsedOther);

  return pyCompare(keyVersion, keyOther);
}

function rcompare(version, other) {
  return -compare(version, other);
}

// this logic is buitin in python, but we need to port it to js
// see https://stackoverflow.com/a/5292332/1438522
function pyCompare(elemIn, otherIn) {
  let elem = elemIn;
  let other = otherIn;
  if (elem === other) {
    return 0;
  }
  if (Array.isArray(elem) !== Array.isArray(other)) {
    elem = Array.isArray(elem) ? elem : [elem];
    other = Array.isArray(other) ? other : [other];
  }
  if (Array.isArray(elem)) {
    const len = Math.min(elem.length, other.length);
    for (let i = 0; i < len; i += 1) {
      const res = pyCompare(elem[i], other[i]);
      if (res !== 0) {
        return res;
      }
    }
    return elem.length - other.length;
  }
  if (elem === -Infinity || other === Infinity) {
    return -1;
  }
  if (elem === Infinity || other === -Infinity) {
    return 1;
  }
  return elem < other ? -1 : 1;
}

function calculateKey(input) {
  const { epoch } = input;
  let { release, pre, post, local, dev } = input;
  // When we compare a release version, we want to compare it with all of the
  // trailing zeros removed. So we'll use a reverse the list, drop all the now
  // leading zeros until we come to something non zero, then take the rest
  // re-reverse it back into the correct order and make it a tuple and use
  // that for our sorting key.
  release = release.concat();
  release.reverse();
  while (release.length && release[0] === 0) {
    release.shift();
  }
  release.reverse();

  // We need to "trick" the sorting algorithm to put 1.0.dev0 before 1.0a0.
  // We'll do this by abusing the pre segment, but we _only_ want to do this
  // if there is !a pre or a post segment. If we have one of those then
  // the normal sorting rules will handle this case correctly.
  if (!pre && !post && dev) pre = -Infinity;
  // Versions without a pre-release (except as noted above) should sort after
  // those with one.
  else if (!pre) pre = Infinity;

  // Versions without a post segment should sort before those with one.
  if (!post) post = -Infinity;

  // Versions without a development segment should sort after those with one.
  if (!dev) dev = Infinity;

  if (!local) {
    // Versions without a local segment should sort before those with one.
    local = -Infinity;
  } else {
    // Versions with a local segment need that segment parsed to implement
    // the sorting rules in PEP440.
    // - Alpha numeric segments sort before numeric segments
    // - Alpha numeric segments sort lexicographically
    // - Numeric segments sort numerically
    // - Shorter versions sort before longer versions when the prefixes
    //   match exactly
    local = local.map((i) =>
      Number.isNaN(Number(i)) ? [-Infinity, i] : [Number(i), ''],
    );
  }

  return [epoch, release, pre, post, dev, local];
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/specifier.js
// This file is dual licensed under the terms of the Apache License, Version
// 2.0, and the BSD License. See the LICENSE file in the root of this repository
// for complete details.





const RANGE_PATTERN = [
  '(?<operator>(===|~=|==|!=|<=|>=|<|>))',
  '\\s*',
  '(',
  /*  */ '(?<version>(?:' + VERSION_PATTERN.replace(/\?<\w+>/g, '?:') + '))',
  /*  */ '(?<prefix>\\.\\*)?',
  /*  */ '|',
  /*  */ '(?<legacy>[^,;\\s)]+)',
  ')',
].join('');



const isEqualityOperator = (op) => ['==', '!=', '==='].includes(op);

const rangeRegex = new RegExp('^' + RANGE_PATTERN + '$', 'i');

function specifier_parse(ranges) {
  if (!ranges.trim()) {
    return [];
  }

  const specifiers = ranges
    .split(',')
    .map((range) => rangeRegex.exec(range.trim()) || {})
    .map(({ groups }) => {
      if (!groups) {
        return null;
      }

      let { ...spec } = groups;
      const { operator, version, prefix, legacy } = groups;

      if (version) {
        spec = { ...spec, ...explainVersion(version) };
        if (operator === '~=') {
          if (spec.release.length < 2) {
            return null;
          }
        }
        if (!isEqualityOperator(operator) && spec.local) {
          return null;
        }

        if (prefix) {
          if (!isEqualityOperator(operator) || spec.dev || spec.local) {
            return null;
          }
        }
      }
      if (legacy && operator !== '===') {
        return null;
      }

      return spec;
    });

  if (specifiers.filter(Boolean).length !== specifiers.length) {
    return null;
  }

  return specifiers;
}

function filter(versions, specifier, options = {}) {
  const filtered = pick(versions, specifier, options);
  if (filtered.length === 0 && options.prereleases === undefined) {
    return pick(versions, specifier, { prereleases: true });
  }
  return filtered;
}

function maxSatisfying(versions, range, options) {
  const found = filter(versions, range, options).sort(Operator.compare);
  return found.length === 0 ? null : found[found.length - 1];
}

function minSatisfying(versions, range, options) {
  const found = filter(versions, range, options).sort(Operator.compare);
  return found.length === 0 ? null : found[0];
}

function pick(versions, specifier, options) {
  const parsed = specifier_parse(specifier);

  if (!parsed) {
    return [];
  }

  return versions.filter((version) => {
    const explained = explainVersion(version);

    if (!parsed.length) {
      return explained && !(explained.is_prerelease && !options.prereleases);
    }

    return parsed.reduce((pass, spec) => {
      if (!pass) {
        return false;
      }
      return contains({ ...spec, ...options }, { version, explained });
    }, true);
  });
}

function satisfies(version, specifier, options = {}) {
  const filtered = pick([version], specifier, options);

  return filtered.length === 1;
}

function arrayStartsWith(array, prefix) {
  if (prefix.length > array.length) {
    return false;
  }

  for (let i = 0; i < prefix.length; i += 1) {
    if (prefix[i] !== array[i]) {
      return false;
    }
  }

  return true;
}

function contains(specifier, input) {
  const { explained } = input;
  let { version } = input;
  const { ...spec } = specifier;

  if (spec.prereleases === undefined) {
    spec.prereleases = spec.is_prerelease;
  }

  if (explained && explained.is_prerelease && !spec.prereleases) {
    return false;
  }

  if (spec.operator === '~=') {
    let compatiblePrefix = spec.release.slice(0, -1).concat('*').join('.');
    if (spec.epoch) {
      compatiblePrefix = spec.epoch + '!' + compatiblePrefix;
    }
    return satisfies(version, `>=${spec.version}, ==${compatiblePrefix}`, {
      prereleases: spec.prereleases,
    });
  }

  if (spec.prefix) {
    const isMatching =
      explained.epoch === spec.epoch &&
      arrayStartsWith(explained.release, spec.release);
    const isEquality = spec.operator !== '!=';
    return isEquality ? isMatching : !isMatching;
  }

  if (explained && explained.local && spec.version) {
    // Ignore candidate local labels only when the specifier itself is public.
    if (spec.operator !== '===' && !spec.local) {
      version = explained.public;
      spec.version = explainVersion(spec.version).public;
    }
  }

  if (spec.operator === '<' || spec.operator === '>') {
    // simplified version of https://www.python.org/dev/peps/pep-0440/#exclusive-ordered-comparison
    if (Operator.eq(spec.release.join('.'), explained.release.join('.'))) {
      return false;
    }
  }

  // TODO: fix me?
  // eslint-disable-next-line import-x/namespace
  const op = Operator[spec.operator];
  return op(version, spec.version || spec.legacy);
}

function validRange(specifier) {
  return Boolean(specifier_parse(specifier));
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/semantic.js


// those notation are borrowed from semver


function major(input) {
  const version = explain(input);
  if (!version) {
    throw new TypeError('Invalid Version: ' + input);
  }
  return version.release[0];
}

function minor(input) {
  const version = explain(input);
  if (!version) {
    throw new TypeError('Invalid Version: ' + input);
  }
  if (version.release.length < 2) {
    return 0;
  }
  return version.release[1];
}

function patch(input) {
  const version = explain(input);
  if (!version) {
    throw new TypeError('Invalid Version: ' + input);
  }
  if (version.release.length < 3) {
    return 0;
  }
  return version.release[2];
}

function inc(input, release, preReleaseIdentifier) {
  let identifier = preReleaseIdentifier || `a`;
  const version = parse(input);

  if (!version) {
    return null;
  }

  if (
    !['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview'].includes(
      identifier,
    )
  ) {
    return null;
  }

  switch (release) {
    case 'premajor':
      {
        const [majorVersion] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion + 1;
      }
      version.pre = [identifier, 0];
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'preminor':
      {
        const [majorVersion, minorVersion = 0] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion + 1;
      }
      version.pre = [identifier, 0];
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'prepatch':
      {
        const [majorVersion, minorVersion = 0, patchVersion = 0] =
          version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion;
        version.release[2] = patchVersion + 1;
      }
      version.pre = [identifier, 0];
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'prerelease':
      if (version.pre === null) {
        const [majorVersion, minorVersion = 0, patchVersion = 0] =
          version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion;
        version.release[2] = patchVersion + 1;
        version.pre = [identifier, 0];
      } else {
        if (preReleaseIdentifier === undefined && version.pre !== null) {
          [identifier] = version.pre;
        }

        const [letter, number] = version.pre;
        if (letter === identifier) {
          version.pre = [letter, number + 1];
        } else {
          version.pre = [identifier, 0];
        }
      }

      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'major':
      if (
        version.release.slice(1).some((value) => value !== 0) ||
        version.pre === null
      ) {
        const [majorVersion] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion + 1;
      }
      delete version.pre;
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'minor':
      if (
        version.release.slice(2).some((value) => value !== 0) ||
        version.pre === null
      ) {
        const [majorVersion, minorVersion = 0] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion + 1;
      }
      delete version.pre;
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'patch':
      if (
        version.release.slice(3).some((value) => value !== 0) ||
        version.pre === null
      ) {
        const [majorVersion, minorVersion = 0, patchVersion = 0] =
          version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion;
        version.release[2] = patchVersion + 1;
      }
      delete version.pre;
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    default:
      return null;
  }

  return stringify(version);
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/index.js










// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(62088);
// EXTERNAL MODULE: ./lib/inputs/meta-rules.js
var meta_rules = __webpack_require__(82326);
;// CONCATENATED MODULE: ./lib/stages/meta/tag-values.js
/**
 * What each tag rule type gives on this run, one function per type as docker/metadata-action
 * has them (its procSemver, procPep440, procMatch, procEdge, procRef…, procSchedule, procSha, procRaw).
 * Pure: a rule gives at most one value (before its prefix and suffix), or nothing, with a note
 * saying why when the user would want to know.
 */




const isGitTag = (r) => r.ex.meta.ref.startsWith('refs/tags/');
/** semver/pep440/match read the rule's value (rendered) when it has one, else the git tag. */
const sourceText = (rule, r) => rule.attrs.value ? (0,expressions/* renderGlobal */.Yy)(rule.attrs.value, r.ex) : (0,expressions/* gitTagOf */.Eb)(r.ex.meta.ref);
/** semver/pep440: the source text narrowed to match='s first group, '/' made '-'. */
function versionText(rule, r) {
    let text = sourceText(rule, r);
    const match = rule.attrs.match;
    if (match) {
        const found = new RegExp(match).exec(text);
        // as metadata-action: no match leaves the whole text (then usually not a version)
        if (!found)
            r.notes.push(`${rule.source}: ${match} does not match ${text}`);
        else
            text = found[1] ?? '';
    }
    return text.replace(/\//g, '-');
}
const schedule = (rule, r) => {
    if (!/schedule/.test(r.ex.meta.eventName))
        return undefined;
    return { value: (0,expressions/* renderWith */.hc)(rule.attrs.pattern, (0,expressions/* dateHelpers */.Ol)(r.ex)), latest: false };
};
const semverValue = (rule, r) => {
    if (!isGitTag(r) && !rule.attrs.value)
        return undefined;
    const raw = versionText(rule, r);
    if (!semver.valid(raw)) {
        r.notes.push(`${rule.source}: ${raw} is not a valid semver, skipped`);
        return undefined;
    }
    const parsed = semver.parse(raw, { loose: true });
    const data = (0,expressions/* versionData */.L0)(parsed.raw, parsed.version, parsed.major, parsed.minor, parsed.patch);
    const pattern = rule.attrs.pattern;
    if (semver.prerelease(raw))
        return { value: (0,expressions/* renderWith */.hc)((0,expressions/* isRawPattern */.t_)(pattern) ? pattern : '{{version}}', data), latest: false };
    return { value: (0,expressions/* renderWith */.hc)(pattern, data), latest: true };
};
const pep440Value = (rule, r) => {
    if (!isGitTag(r) && !rule.attrs.value)
        return undefined;
    const raw = versionText(rule, r);
    if (!valid(raw)) {
        r.notes.push(`${rule.source}: ${raw} does not conform to PEP 440, skipped`);
        return undefined;
    }
    const info = explain(raw);
    const clean = version_clean(raw) ?? raw;
    if (info.is_prerelease || info.is_postrelease || info.is_devrelease)
        return { value: (0,expressions/* isRawPattern */.t_)(rule.attrs.pattern) ? raw : clean, latest: false };
    const data = (0,expressions/* versionData */.L0)(raw, clean, major(raw), minor(raw), patch(raw));
    return { value: (0,expressions/* renderWith */.hc)(rule.attrs.pattern, data), latest: true };
};
const match = (rule, r) => {
    const a = rule.attrs;
    if (!isGitTag(r) && !a.value)
        return undefined;
    const raw = sourceText(rule, r);
    const found = raw.match((0,meta_rules/* matchRegExp */.H0)(a.pattern));
    if (!found) {
        r.notes.push(`${rule.source}: ${a.pattern} does not match ${raw}, skipped`);
        return undefined;
    }
    const group = found[Number(a.group)];
    if (group === undefined) {
        r.notes.push(`${rule.source}: group ${a.group} does not exist in ${a.pattern}, skipped`);
        return undefined;
    }
    return { value: group, latest: true };
};
const edge = (rule, r) => {
    const m = r.ex.meta;
    if (!m.ref.startsWith('refs/heads/'))
        return undefined;
    const branch = rule.attrs.branch || m.repo.defaultBranch;
    return branch === (0,expressions/* gitBranchOf */.CP)(m.ref) ? { value: 'edge', latest: false } : undefined;
};
/** type=ref: event=branch, event=tag or event=pr, each on its own kind of git ref. */
const ref = (rule, r) => {
    const gitRef = r.ex.meta.ref;
    switch (rule.attrs.event) {
        case 'branch':
            return gitRef.startsWith('refs/heads/') ? { value: (0,expressions/* gitBranchOf */.CP)(gitRef), latest: false } : undefined;
        case 'tag':
            return isGitTag(r) ? { value: (0,expressions/* gitTagOf */.Eb)(gitRef), latest: true } : undefined;
        case 'pr':
            return gitRef.startsWith('refs/pull/')
                ? { value: gitRef.replace(/^refs\/pull\//, '').replace(/\/merge$/, ''), latest: false }
                : undefined;
    }
    return undefined;
};
const raw = (rule, r) => ({ value: (0,expressions/* renderGlobal */.Yy)(rule.attrs.value, r.ex), latest: false });
const sha = (rule, r) => {
    const m = r.ex.meta;
    if (!m.sha)
        return undefined;
    return { value: rule.attrs.format === 'long' ? m.sha : (0,expressions/* shortSha */.Fu)(m), latest: false };
};
/** The value function of each tag rule type. */
const TAG_VALUES = {
    schedule,
    semver: semverValue,
    pep440: pep440Value,
    match,
    edge,
    ref,
    raw,
    sha,
};

;// CONCATENATED MODULE: ./lib/stages/meta/plan.js






/** The notes every plan starts with: the rules' own warnings, and each unquoted date format. */
function startNotes(input) {
    const notes = input.tagRules.flatMap((r) => (r.warning ? [r.warning] : []));
    for (const t of (0,expressions/* unquotedDateFormats */.uT)((0,meta/* expressionTexts */.jL)(input))) {
        notes.push(`"${t}": the date format is not quoted, so the default format is used (as docker/metadata-action does); quote it: {{date 'YYYYMMDD'}}`);
    }
    return notes;
}
/** A rule's value with its own prefix/suffix, else the flavor's (each rendered). */
function withAffixes(val, rule, flavor, ex) {
    const g = (s) => (0,expressions/* renderGlobal */.Yy)(s, ex);
    if ('prefix' in rule.attrs)
        val = g(rule.attrs.prefix) + val;
    else if (flavor.prefix)
        val = g(flavor.prefix) + val;
    if ('suffix' in rule.attrs)
        val += g(rule.attrs.suffix);
    else if (flavor.suffix)
        val += g(flavor.suffix);
    return val;
}
/** Every enabled rule's value, highest priority first, made a valid tag: main, partials, latest. */
function versionOf(input, r) {
    const { flavor } = input;
    const v = { partial: [] };
    for (const rule of input.tagRules) {
        const enabled = (0,expressions/* renderGlobal */.Yy)(rule.attrs.enable, r.ex);
        if (enabled !== 'true' && enabled !== 'false')
            throw new Error(`${rule.source}: enable is "${enabled}", must be true or false`);
        if (enabled === 'false')
            continue;
        const got = TAG_VALUES[rule.type](rule, r);
        if (!got)
            continue;
        const val = withAffixes(got.value, rule, flavor, r.ex);
        if (!val)
            continue;
        const tag = toDockerTag(val);
        if (!tag) {
            r.notes.push(`${rule.source}: "${val}" gives no valid tag, skipped`);
            continue;
        }
        if (v.main === undefined)
            v.main = tag;
        else if (tag !== v.main && !v.partial.includes(tag))
            v.partial.push(tag);
        v.latest ??= flavor.latest === 'auto' ? got.latest : flavor.latest === 'true';
    }
    return v;
}
/** The version's tags in order: main, partials, then latest (with the flavor's affixes when onlatest). */
function tagListOf(v, flavor) {
    if (v.main === undefined)
        return [];
    const list = [v.main, ...v.partial];
    if (v.latest) {
        const latest = toDockerTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`);
        if (latest && !list.includes(latest))
            list.push(latest);
    }
    return list;
}
/**
 * The OCI labels and annotations (generated, then the user's lines rendered over them). In
 * build-push-action's form nothing is generated: only the lines given, as build-push-action passes them.
 */
function labelsOf(input, run, ex, version, notes) {
    const m = run.meta;
    const g = (s) => (0,expressions/* renderGlobal */.Yy)(s, ex);
    const oci = input.form === 'build-push-action'
        ? []
        : (0,meta_labels/* ociPairs */.$Q)({ repo: m.repo, version, created: (0,meta_labels/* createdAt */.CT)(m.sourceDateEpoch, run.now), revision: m.sha });
    const drop = (name) => (line) => notes.push(`${name}: "${line}" is not KEY=VALUE, dropped (as docker/metadata-action does)`);
    const labels = (0,meta_labels/* mergeLabels */.Mr)(oci, input.labels.map(g), drop('labels'));
    const rendered = input.annotations.map(g);
    // buildx's own default level (manifest) for an unprefixed line in build-push-action's form
    const levels = input.form === 'build-push-action' ? [''] : m.annotationLevels;
    const annotations = leveledAnnotations(oci, rendered, levels, drop('annotations'));
    return { labels, annotations };
}
/** Pure: tags, labels, annotations and version for this run, by docker/metadata-action's rules. */
function planMeta(input, run) {
    const ex = { meta: run.meta, now: run.now, commitDate: run.meta.commitDate };
    const notes = startNotes(input);
    const v = versionOf(input, { ex, notes });
    const tagList = tagListOf(v, input.flavor);
    const literal = input.literalRefs ?? [];
    const refs = [...new Set([...input.images.flatMap((image) => tagList.map((t) => `${image}:${t}`)), ...literal])];
    const tags = input.images.length || literal.length ? refs : tagList;
    // a full reference given in tags has its tag ('latest' when none, as docker reads it) as a tag name too
    const literalTags = literal.map((ref) => (0,reference/* splitReference */.mQ)(ref).reference);
    // with only full references given, the version is the first one's tag
    const version = v.main ?? literalTags[0] ?? '';
    const { labels, annotations } = labelsOf(input, run, ex, version, notes);
    const tagNames = [...new Set([...tagList, ...literalTags])];
    return {
        refs,
        tags,
        tagNames,
        version,
        labels,
        annotations,
        json: { tags, labels: (0,meta_labels/* labelObject */.so)(labels), annotations },
        notes,
    };
}
/**
 * Pure: annotation lines for buildx. A line with a level prefix (index:, manifest[linux/amd64]:, …)
 * is passed as written and replaces a generated one of the same level and key; an unprefixed line
 * is merged over the generated pairs, and each of those takes every default level ('' = no prefix).
 */
function leveledAnnotations(generated, lines, levels, dropped) {
    const prefixed = [];
    const plain = [];
    for (const line of lines) {
        const level = (0,meta_labels/* annotationLevelOf */.$m)(line);
        if (!level)
            plain.push(line);
        else if (line.indexOf('=', level.length + 1) <= level.length + 1)
            dropped(line);
        else
            prefixed.push(line);
    }
    const given = new Set(prefixed.map((l) => l.slice(0, l.indexOf('=', (0,meta_labels/* annotationLevelOf */.$m)(l).length + 1))));
    const merged = (0,meta_labels/* mergeLabels */.Mr)(generated, plain, dropped);
    const leveled = levels.flatMap((level) => merged.map((x) => (level ? `${level}:${x}` : x)));
    return [...leveled.filter((x) => !given.has(x.slice(0, x.indexOf('=')))), ...prefixed];
}


/***/ })

};
