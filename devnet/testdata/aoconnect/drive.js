// Drives a devnet the way a front end does, with aoconnect in its default
// (legacy) mode: spawn a process of the devnet's aos module, Eval a domain
// source into it, Register a name, read the message's result from the CU,
// and dry-run QueryDomain. Prints one JSON object: what each call answered,
// for the Go test to assert. Any failure is printed as {"error", "step"}
// with exit status 1.
//
// usage: node drive.js <devnet-url> <jwk.json> <domain.lua> <name> <pid-to-register> <owner-address>
import { readFileSync } from "node:fs";
import { connect, createDataItemSigner } from "@permaweb/aoconnect";

const [url, jwkPath, sourcePath, name, target, owner] = process.argv.slice(2);
let step = "info";
try {
  // GET / names the module, the scheduler and the messenger to spawn with.
  const info = await (await fetch(url + "/")).json();
  const jwk = JSON.parse(readFileSync(jwkPath, "utf8"));
  const signer = createDataItemSigner(jwk);
  const { spawn, message, result, dryrun } = connect({ MODE: "legacy", MU_URL: url, CU_URL: url, GATEWAY_URL: url });
  const out = {};

  step = "spawn";
  out.process = await spawn({
    module: info.Module, scheduler: info.Address, signer,
    tags: [{ name: "Authority", value: info.Messenger }],
  });

  step = "eval";
  const evalId = await message({
    process: out.process, signer,
    tags: [{ name: "Action", value: "Eval" }], data: readFileSync(sourcePath, "utf8"),
  });
  out.eval = await result({ process: out.process, message: evalId });

  step = "register";
  out.registerId = await message({
    process: out.process, signer,
    tags: [{ name: "Action", value: "Register" }], data: JSON.stringify({ name, pid: target }),
  });
  out.register = await result({ process: out.process, message: out.registerId });

  step = "dryrun";
  // A dry run claims its Owner (aoconnect's default is "1234"): a front end
  // names its user's address, to whom the reply is addressed.
  out.query = await dryrun({
    process: out.process, Owner: owner,
    tags: [{ name: "Action", value: "QueryDomain" }], data: name,
  });
  process.stdout.write(JSON.stringify(out));
} catch (e) {
  process.stdout.write(JSON.stringify({ step, error: String(e && e.stack || e) }));
  process.exitCode = 1;
}
