import demoDrillYaml from './demo.drill.yaml?raw';
import demoYaml from './demo.yaml?raw';

/** The built-in demo workspace (DESIGN §1), as text so that `init` writes it with its comments. */
export const DEMO_WORKSPACE_YAML: string = demoYaml;
/** The seed's failover drill, written beside the demo by `init`. */
export const DEMO_DRILL_YAML: string = demoDrillYaml;

export const EMPTY_WORKSPACE_YAML = `# Breakerboard workspace (see DESIGN.md for the format)
version: 1
backends: {}
pools: {}
apis: {}
`;
