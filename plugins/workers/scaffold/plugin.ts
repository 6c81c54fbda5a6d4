import { workersManifest } from "@netscript/plugin-workers";

export default workersManifest;
