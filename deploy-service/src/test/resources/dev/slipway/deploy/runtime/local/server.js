// A tiny web app for LocalRuntimeTest: answers with the VERSION file of its slug.
const http = require('http');
const fs = require('fs');

const version = fs.readFileSync(__dirname + '/VERSION', 'utf8').trim();

const server = http.createServer((req, res) => {
  if (req.url === '/crash') {
    console.log('crashing on purpose');
    process.exit(3);
  }
  if (req.url === '/pid') {
    // Its pid inside the sandbox means nothing outside: the test finds it by this argument.
    res.end(process.argv[2]);
    return;
  }
  if (req.url === '/env') {
    res.end([process.env.GREETING, process.env.SECRET, process.env.DYNO].join('\n'));
    return;
  }
  res.end(version);
});

server.listen(Number(process.env.PORT), () => {
  console.log('listening on ' + process.env.PORT + ' as ' + process.env.DYNO);
});
