// LIFT's only script, loaded as an ES module at the end of <body>.
// GOV.UK Frontend enhances components only when <body> has `govuk-frontend-supported`;
// its usual inline snippet would break the Content Security Policy, so it lives here.
// Browsers that cannot run ES modules never run this file, which is the support test.
// Every page works without this script.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
