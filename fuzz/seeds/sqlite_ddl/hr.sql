-- An HR schema for the schemasync demo (SQLite).
PRAGMA foreign_keys = ON;

CREATE TABLE departments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  budget NUMERIC CHECK (budget >= 0)
);

CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  full_name TEXT NOT NULL COLLATE NOCASE,
  salary REAL NOT NULL DEFAULT 0,
  hired_on TEXT NOT NULL DEFAULT CURRENT_DATE,
  manager_id INTEGER REFERENCES employees (id) ON DELETE SET NULL
);

CREATE INDEX employees_by_department ON employees (department_id, full_name);
CREATE INDEX well_paid ON employees (salary DESC) WHERE salary > 100000;

CREATE TABLE salary_changes (
  employee_id INTEGER NOT NULL REFERENCES employees (id),
  changed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  old_salary REAL,
  new_salary REAL,
  PRIMARY KEY (employee_id, changed_at)
) WITHOUT ROWID;

CREATE VIEW department_payroll AS
  SELECT d.name AS department, count(e.id) AS headcount, sum(e.salary) AS payroll
  FROM departments d LEFT JOIN employees e ON e.department_id = d.id
  GROUP BY d.name;

CREATE TRIGGER log_salary_change AFTER UPDATE OF salary ON employees
  WHEN old.salary <> new.salary
BEGIN
  INSERT INTO salary_changes (employee_id, old_salary, new_salary) VALUES (old.id, old.salary, new.salary);
END;
