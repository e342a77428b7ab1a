from gdengine.cli import main

raise SystemExit(main())
